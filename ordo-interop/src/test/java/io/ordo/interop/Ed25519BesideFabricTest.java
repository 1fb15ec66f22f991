package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ed25519 identities beside Fabric v3.0.0: crypto material with {@code PublicKeyAlgorithm: ed25519}
 * for the orderer org and the client org (their CAs, orderers, peer and user; the admins ECDSA, as
 * cryptogen makes them), so that envelopes, blocks, and the TLS of clients, peers and the cluster
 * are signed with Ed25519. Made by Fabric's cryptogen: Ordo orders the Ed25519 user's envelopes and
 * a Fabric peer commits Ordo's Ed25519-signed blocks; Fabric's orderer and Ordo nodes run one
 * channel. Made by {@code ordo crypto generate}: Fabric's orderer and an Ordo node run one channel
 * on it, and writes the same tree as cryptogen, certificate fields and algorithms alike.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class Ed25519BesideFabricTest {
  private static final String ED25519 = "ed25519";
  private static final Duration LOAD = Duration.ofMinutes(3);

  @Test
  void cryptogenAndOrdoWriteTheSameEd25519Tree(Stage stage) throws IOException {
    Path dir = stage.dir("crypto-ed25519");
    Path config = CryptoConfigYaml.write(dir.resolve("crypto-config.yaml"), 2, true, ED25519);
    Path fabric = dir.resolve("cryptogen");
    Path ordo = dir.resolve("ordo");
    stage.fabricTools().cryptogen(config, fabric);
    stage
        .ordoTools()
        .run(
            List.of(
                "crypto", "generate", "--config", config.toString(), "--output", ordo.toString()))
        .requireSuccess();
    Set<String> tree = new TreeSet<>();
    try (Stream<Path> files = Files.walk(fabric)) {
      files.filter(Files::isRegularFile).forEach(f -> tree.add(fabric.relativize(f).toString()));
    }
    int certificates = 0;
    for (String f : tree) {
      assertThat(ordo.resolve(f)).as(f).exists();
      if (f.endsWith(".pem") || f.endsWith(".crt")) {
        // the same subject, issuer, extensions, signature and key algorithms, file by file
        assertThat(CertificateFields.of(ordo.resolve(f)))
            .as(f)
            .isEqualTo(CertificateFields.of(fabric.resolve(f)));
        certificates++;
      }
    }
    assertThat(certificates).isGreaterThan(20);
  }

  @Test
  void ordoOrdersAnEd25519ClientOfCryptogenAndAFabricPeerCommitsItsBlocks(Stage stage) {
    Network net = Network.on(stage).keyAlgorithm(ED25519).orderers(ORDO).build();
    assertEd25519(net);
    net.startAll();
    net.joinAll();
    OrdererNode ordo = net.awaitLeader(net.orderers());

    PeerNode peer =
        new PeerNode(
            stage,
            "peer0.org1.example.com",
            Network.CLIENT_MSP,
            net.peerOrg().resolve("peers/peer0.org1.example.com"));
    peer.start();
    PeerCli admin =
        new PeerCli(
            stage.fabricTools(),
            Network.CLIENT_MSP,
            net.peerOrg().resolve("users/Admin@org1.example.com/msp"),
            peer);
    ToolResult join = admin.join(net.genesisBlock());
    assertThat(join.exitCode()).as(join.describe()).isZero();

    ToolResult bench = Load.bench(stage, net, net.orderers(), 300, LOAD);
    assertThat(bench.out()).contains("committed  300 of 300");
    long height = Chains.assertIdentical(stage, net, net.orderers(), Duration.ofMinutes(1));
    assertThat(height).isGreaterThan(2);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(admin.height(net.channel()))
                    .as("peer channel getinfo: the peer's height, Ordo's being %d", height)
                    .isEqualTo(height));
  }

  @Test
  void fabricsOrdererAndOrdoNodesRunAChannelWithEd25519OrdererIdentities(Stage stage) {
    Network net =
        Network.on(stage)
            .keyAlgorithm(ED25519)
            .orderers(FABRIC, ORDO, ORDO)
            .channel("edmixed")
            .build();
    assertEd25519(net);
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    ToolResult bench = Load.bench(stage, net, net.orderers(), 300, LOAD);
    assertThat(bench.out()).contains("committed  300 of 300");
    Chains.assertIdentical(stage, net, net.orderers(), Duration.ofMinutes(1));
  }

  @Test
  void fabricsOrdererRunsAChannelOnOrdoCryptoGenerateEd25519Material(Stage stage) {
    Network net =
        Network.on(stage)
            .crypto(Maker.ORDO)
            .keyAlgorithm(ED25519)
            .orderers(FABRIC, ORDO)
            .channel("edordocrypto")
            .build();
    assertEd25519(net);
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    ToolResult bench = Load.bench(stage, net, net.orderers(), 300, LOAD);
    assertThat(bench.out()).contains("committed  300 of 300");
    Chains.assertIdentical(stage, net, net.orderers(), Duration.ofMinutes(1));
  }

  /** The material is what the test is about: Ed25519 where cryptogen puts it, ECDSA admins. */
  private static void assertEd25519(Network net) {
    Path orderer1 = net.ordererOrg().resolve("orderers/orderer1.example.com");
    assertThat(isEd25519(orderer1.resolve("msp/signcerts/orderer1.example.com-cert.pem"))).isTrue();
    assertThat(isEd25519(orderer1.resolve("tls/server.crt"))).isTrue();
    assertThat(isEd25519(net.userMsp().resolve("signcerts/User1@org1.example.com-cert.pem")))
        .isTrue();
    assertThat(isEd25519(net.peerOrg().resolve("ca/ca.org1.example.com-cert.pem"))).isTrue();
    assertThat(
            isEd25519(
                net.ordererOrg()
                    .resolve("users/Admin@example.com/msp/signcerts/Admin@example.com-cert.pem")))
        .isFalse();
  }

  private static boolean isEd25519(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      var cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      // the JDK names an Ed25519 key's algorithm EdDSA (or Ed25519), an ECDSA key's EC
      String algorithm = cert.getPublicKey().getAlgorithm();
      return algorithm.equals("EdDSA") || algorithm.equals("Ed25519");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + certificate, e);
    } catch (CertificateException e) {
      throw new IllegalStateException("not a certificate: " + certificate, e);
    }
  }
}
