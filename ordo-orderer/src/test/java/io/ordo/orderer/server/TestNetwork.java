package io.ordo.orderer.server;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.fabric.genesis.GenesisBlocks;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.config.LocalConfigLoader;
import io.ordo.orderer.localnet.LocalConfigtx;
import io.ordo.orderer.localnet.LocalOrdererYaml;
import io.ordo.orderer.localnet.LoopbackPorts;
import io.ordo.orderer.testing.TlsReissue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A network on loopback: cryptogen material for one orderer org with {@code size} nodes and one
 * client org, a configtx.yaml and genesis block for {@link #CHANNEL}, one orderer.yaml per node
 * (TLS everywhere; the general and cluster listeners on ports chosen now, admin and operations on
 * port 0).
 */
final class TestNetwork implements AutoCloseable {
  static final String CHANNEL = "mychannel";
  static final String DOMAIN = "example.com";
  static final String CLIENT_DOMAIN = "org1.example.com";

  final Path dir;
  final Path crypto;
  final int size;
  final int consenters;

  /** Nodes 1..genesisConsenters are the consenters of the genesis block. */
  final int genesisConsenters;

  final List<Integer> clusterPorts = new ArrayList<>();

  /** General.ListenPort: orderer.yaml reads 0 as "the default 7050", so ports are chosen now. */
  final List<Integer> generalPorts = new ArrayList<>();

  final Block genesis;
  final Map<Integer, OrdererServer> servers = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final LoopbackPorts ports = new LoopbackPorts(new java.util.Random());

  TestNetwork(Path dir, int size, Duration tick, Duration batchTimeout, int maxMessageCount) {
    this(dir, size, tick, batchTimeout, maxMessageCount, "16 MB");
  }

  /**
   * @param snapshotInterval the channel's SnapshotIntervalSize, as configtx.yaml writes it
   */
  TestNetwork(
      Path dir,
      int size,
      Duration tick,
      Duration batchTimeout,
      int maxMessageCount,
      String snapshotInterval) {
    this(dir, size, size, tick, batchTimeout, maxMessageCount, snapshotInterval);
  }

  /**
   * @param genesisConsenters how many of the nodes (the first ones) the genesis block lists as
   *     consenters
   */
  TestNetwork(
      Path dir,
      int size,
      int genesisConsenters,
      Duration tick,
      Duration batchTimeout,
      int maxMessageCount) {
    this(dir, size, genesisConsenters, tick, batchTimeout, maxMessageCount, "16 MB");
  }

  /**
   * @param consenters how many of the nodes (the first ones) are the channel's consenters; the
   *     others can only follow it
   */
  TestNetwork(
      Path dir,
      int size,
      int consenters,
      Duration tick,
      Duration batchTimeout,
      int maxMessageCount,
      String snapshotInterval) {
    this(dir, size, consenters, tick, batchTimeout, maxMessageCount, snapshotInterval, Map.of());
  }

  /**
   * @param tlsNotAfter nodes whose TLS certificate (and key) are issued again by the orderer org's
   *     TLS CA to expire at the given instant, before the genesis block names them
   */
  TestNetwork(
      Path dir,
      int size,
      int consenters,
      Duration tick,
      Duration batchTimeout,
      int maxMessageCount,
      String snapshotInterval,
      Map<Integer, Instant> tlsNotAfter) {
    this.dir = dir;
    this.consenters = consenters;
    this.size = size;
    this.genesisConsenters = consenters;
    this.crypto = dir.resolve("crypto");
    List<CryptoConfig.Node> nodes = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String cn = "orderer" + i + "." + DOMAIN;
      nodes.add(new CryptoConfig.Node("orderer" + i, cn, List.of(cn, "localhost", "127.0.0.1")));
      clusterPorts.add(freePort());
      generalPorts.add(freePort());
    }
    new NetworkMaterial(random, Instant.now().minusSeconds(120))
        .write(
            new CryptoConfig(
                List.of(new CryptoConfig.Org("OrdererOrg", DOMAIN, true, nodes, 0)),
                List.of(new CryptoConfig.Org("Org1", CLIENT_DOMAIN, true, List.of(), 1))),
            crypto);
    tlsNotAfter.forEach(this::reissueTls);
    Path configtx = dir.resolve("configtx.yaml");
    write(configtx, configtxYaml(tick, batchTimeout, maxMessageCount, snapshotInterval));
    ConfigtxYaml yaml = ConfigtxYaml.read(configtx);
    this.genesis =
        GenesisBlocks.create(
            CHANNEL,
            new ChannelGroupEncoder(yaml).channelGroup(LocalConfigtx.PROFILE),
            random,
            Instant.now());
    for (int i = 1; i <= size; i++) {
      write(nodeDir(i).resolve("orderer.yaml"), ordererYaml(i));
    }
  }

  Path nodeDir(int i) {
    return dir.resolve("node" + i);
  }

  Path ordererTls(int i) {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/orderers/orderer" + i + "." + DOMAIN + "/tls");
  }

  /**
   * Issues node {@code i} a new TLS key and certificate (same names) from the orderer org's TLS CA,
   * valid until {@code notAfter}, in place of the ones cryptogen wrote.
   */
  void reissueTls(int i, Instant notAfter) {
    TlsReissue.serverTls(
        crypto.resolve("ordererOrganizations/" + DOMAIN),
        DOMAIN,
        ordererTls(i),
        "orderer" + i + "." + DOMAIN,
        notAfter);
  }

  Path tlsCaCert() {
    return crypto.resolve(
        "ordererOrganizations/" + DOMAIN + "/tlsca/tlsca." + DOMAIN + "-cert.pem");
  }

  Path userDir(String domainKind, String domain, String user) {
    return crypto.resolve(domainKind + "/" + domain + "/users/" + user + "@" + domain);
  }

  /** The client org's User1, a "client" for NodeOUs: a channel reader and writer. */
  LocalSigningIdentity client() {
    return LocalSigningIdentity.load(
        userDir("peerOrganizations", CLIENT_DOMAIN, "User1").resolve("msp"),
        "Org1MSP",
        Ecdsa.preferred());
  }

  OrdererServer start(int i) {
    return start(i, Map.of());
  }

  /** Starts node {@code i} with {@code env} ({@code ORDERER_*} overrides) laid over its file. */
  OrdererServer start(int i, Map<String, String> env) {
    OrdererServer s =
        OrdererServer.start(
            new LocalConfigLoader(env, dir)
                .load(Optional.of(nodeDir(i).resolve("orderer.yaml").toString())));
    servers.put(i, s);
    return s;
  }

  void stop(int i) {
    OrdererServer s = servers.remove(i);
    if (s != null) {
      s.close();
    }
  }

  /** Joins node {@code i} to the channel with the genesis block through its admin API. */
  HttpResponse<String> join(int i) {
    return join(i, genesis);
  }

  /** Joins node {@code i} to the channel with {@code configBlock} through its admin API. */
  HttpResponse<String> join(int i, Block configBlock) {
    String boundary = "ordo-" + Long.toHexString(random.nextLong());
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"config-block\";"
                + " filename=\"genesis.block\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] block = configBlock.toByteArray();
    byte[] body = new byte[head.length + block.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(block, 0, body, head.length, block.length);
    System.arraycopy(tail, 0, body, head.length + block.length, tail.length);
    var address = servers.get(i).adminAddress();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + address.getPort() + "/participation/v1/channels"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try (HttpClient http = adminClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends an admin API request with the org admin's TLS client certificate. */
  HttpResponse<String> admin(int i, String method, String path) {
    return admin(i, method, path, null);
  }

  /** As above, with a JSON body (none when null). */
  HttpResponse<String> admin(int i, String method, String path, String json) {
    var address = servers.get(i).adminAddress();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + address.getPort() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    try (HttpClient http = adminClient()) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTPS client presenting the orderer org admin's TLS client certificate. */
  HttpClient adminClient() {
    Path tls = userDir("ordererOrganizations", DOMAIN, "Admin").resolve("tls");
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "admin",
          key(tls.resolve("client.key")),
          new char[0],
          new X509Certificate[] {cert(tls.resolve("client.crt"))});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", cert(tlsCaCert()));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TLS gRPC channel to a port of this network.
   *
   * @param clientTls a folder with the client's certificate and key, or null for none
   */
  ManagedChannel channelTo(int port, Path clientCert, Path clientKey) {
    try {
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
      b.trustManager(cert(tlsCaCert()));
      if (clientCert != null) {
        b.keyManager(key(clientKey), cert(clientCert));
      }
      return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(b.build()).build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate cert(Path file) {
    return Pem.certificate(read(file));
  }

  static PrivateKey key(Path file) {
    return Pem.privateKey(read(file));
  }

  static ByteString bytes(Path file) {
    return ByteString.copyFrom(read(file));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int freePort() {
    return ports.next();
  }

  private String configtxYaml(
      Duration tick, Duration batchTimeout, int maxMessageCount, String snapshotInterval) {
    List<LocalConfigtx.Consenter> consenterList = new ArrayList<>();
    for (int i = 1; i <= consenters; i++) {
      consenterList.add(
          new LocalConfigtx.Consenter(
              clusterPorts.get(i - 1), ordererTls(i).resolve("server.crt").toString()));
    }
    return new LocalConfigtx(
            LocalConfigtx.PROFILE,
            crypto.toString(),
            LocalConfigtx.Orgs.standard(),
            consenterList,
            generalPorts.stream().map(p -> "127.0.0.1:" + p).toList(),
            new LocalConfigtx.Batch(batchTimeout, maxMessageCount, "10 MB", "2 MB"),
            new LocalConfigtx.Raft(tick, 10, snapshotInterval))
        .yaml();
  }

  private String ordererYaml(int i) {
    Path tls = ordererTls(i);
    return new LocalOrdererYaml(
            tls.toString(),
            tls.getParent().resolve("msp").toString(),
            "OrdererMSP",
            nodeDir(i).toString(),
            tlsCaCert().toString(),
            new LocalOrdererYaml.Ports(generalPorts.get(i - 1), clusterPorts.get(i - 1), 0, 0),
            List.of(),
            List.of("ReplicationRetryTimeout: 300ms", "ReplicationPullTimeout: 3s"))
        .yaml();
  }

  @Override
  public void close() {
    List.copyOf(servers.keySet()).forEach(this::stop);
  }
}
