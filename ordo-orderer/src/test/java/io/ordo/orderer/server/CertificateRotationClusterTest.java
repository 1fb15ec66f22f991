package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.Blocks;
import io.ordo.storage.ledger.BlockLedger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter's TLS certificate replaced by a config update while its node runs: the operator puts
 * the new key and certificate where orderer.yaml points, then submits the update; at the config
 * block the node presents the new certificate and the others pin it, with the same raft ID.
 */
class CertificateRotationClusterTest {
  private static final Duration TICK = Duration.ofMillis(100);

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;

  @BeforeEach
  void startAndJoin() {
    // nodes 4 and 5 are never started: their TLS material is the new certificates
    network = new TestNetwork(dir, 5, 3, TICK, Duration.ofMillis(200), 10);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    driver = new ClusterDriver(network);
  }

  @AfterEach
  void stop() {
    driver.close();
    network.close();
  }

  @Test
  void aConsentersRotatedCertificateIsPresentedAndPinnedWithoutARestart() throws Exception {
    long leader = driver.awaitLeaderEverywhere();
    Set<String> sent = new HashSet<>(driver.broadcast(1, "before", 20));
    driver.awaitDelivered(List.of(1, 2, 3), sent.size());
    List<Long> idsBefore = lastMetadata(1).getConsenterIdsList();

    // a follower first, then the leader (which hands leadership over before the update is ordered)
    int follower = (int) (leader % 3) + 1;
    rotate(follower, 4, leader == 1 ? 2 : 1);
    sent.addAll(driver.broadcast(follower, "after-follower-rotation", 20));
    driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);

    long currentLeader = driver.awaitLeaderEverywhere();
    rotate((int) currentLeader, 5, follower);
    long leaderAfter = driver.awaitLeaderEverywhere();
    assertThat(leaderAfter).isNotEqualTo(currentLeader);
    sent.addAll(driver.broadcast((int) currentLeader, "after-leader-rotation", 20));
    driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
    for (int n = 1; n <= 3; n++) {
      assertThat(lastMetadata(n).getConsenterIdsList()).as("node %d", n).isEqualTo(idsBefore);
    }

    // every node restarts from its disk, the rotated ones with their new certificates
    Map<Integer, List<String>> hashes = new TreeMap<>();
    for (int n = 1; n <= 3; n++) {
      hashes.put(n, headerHashes(driver.deliver(n, driver.height(n))));
    }
    for (int n = 1; n <= 3; n++) {
      network.stop(n);
    }
    for (int n = 1; n <= 3; n++) {
      network.start(n);
    }
    driver.awaitLeaderEverywhere();
    for (int n = 1; n <= 3; n++) {
      assertThat(headerHashes(driver.deliver(n, driver.height(n))))
          .as("node %d after restart", n)
          .isEqualTo(hashes.get(n));
    }
    sent.addAll(driver.broadcast(follower, "after-restart", 10));
    driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
  }

  /**
   * Gives node {@code node} the TLS key and certificate of the never-started node {@code spare},
   * then updates its consenter entry through node {@code via}, and waits until it presents them.
   */
  private void rotate(int node, int spare, int via) throws Exception {
    Path target = network.ordererTls(node);
    Path source = network.ordererTls(spare);
    X509Certificate oldCert = TestNetwork.cert(target.resolve("server.crt"));
    X509Certificate newCert = TestNetwork.cert(source.resolve("server.crt"));
    ByteString oldPem = TestNetwork.bytes(target.resolve("server.crt"));
    Files.copy(
        source.resolve("server.key"),
        target.resolve("server.key"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        source.resolve("server.crt"),
        target.resolve("server.crt"),
        StandardCopyOption.REPLACE_EXISTING);
    // the files changed but no config names the new certificate yet: the node keeps the old one
    assertThat(presented(network.clusterPorts.get(node - 1))).isEqualTo(oldCert);

    driver.awaitActiveNodes(via, 3);
    long seq = driver.config(via).sequence() + 1;
    ByteString newPem = TestNetwork.bytes(target.resolve("server.crt"));
    BroadcastResponse r =
        driver.broadcastOne(
            via,
            driver.ordererValueUpdate(
                driver.config(via),
                "ConsensusType",
                ConfigUpdateClusterTest.raftMetadata(
                    m -> {
                      for (int i = 0; i < m.getConsentersCount(); i++) {
                        if (m.getConsenters(i).getClientTlsCert().equals(oldPem)) {
                          m.setConsenters(
                              i,
                              m.getConsenters(i).toBuilder()
                                  .setClientTlsCert(newPem)
                                  .setServerTlsCert(newPem));
                        }
                      }
                      return m;
                    })));
    assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS");
    driver.awaitSequence(List.of(1, 2, 3), seq);
    await()
        .atMost(ClusterDriver.AWAIT)
        .untilAsserted(
            () -> {
              assertThat(presented(network.clusterPorts.get(node - 1))).isEqualTo(newCert);
              assertThat(presented(network.servers.get(node).port())).isEqualTo(newCert);
            });
  }

  /** The certificate a listener of this network presents in a TLS handshake. */
  private X509Certificate presented(int port) throws Exception {
    Path adminTls =
        network.userDir("ordererOrganizations", TestNetwork.DOMAIN, "Admin").resolve("tls");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "admin",
        TestNetwork.key(adminTls.resolve("client.key")),
        new char[0],
        new X509Certificate[] {TestNetwork.cert(adminTls.resolve("client.crt"))});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", TestNetwork.cert(network.tlsCaCert()));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private BlockMetadata lastMetadata(int node) throws Exception {
    BlockLedger ledger =
        network.servers.get(node).registrar().support(CHANNEL).orElseThrow().ledger();
    return BlockMetadata.parseFrom(Blocks.consenterMetadata(ledger.block(ledger.height() - 1)));
  }

  private static List<String> headerHashes(List<Block> blocks) {
    return blocks.stream()
        .map(b -> HexFormat.of().formatHex(BlockHashing.headerHash(b.getHeader())))
        .toList();
  }
}
