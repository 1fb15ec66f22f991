package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consenter's TLS certificate rotated without a restart, on orderer processes: the operator puts
 * a new key and certificate from the same TLS CA where orderer.yaml points, then submits the config
 * update naming the new certificate; from that config block the node presents it and the others pin
 * it, and the three go on ordering one chain.
 */
class CertificateRotationProcessTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofMillis(800);
  // never started: its TLS material is the new certificate
  private static final int SPARE = 4;

  @TempDir Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aConsentersRotatedCertificateIsPresentedAndPinnedFromItsConfigBlockWithoutARestart() {
    cluster =
        new ProcessCluster(
            dir,
            ProcessCluster.logDir(getClass(), "certificateRotation"),
            ClusterSettings.threeNodes().withExtraNodes(1));
    SignedRequests requests = new SignedRequests(cluster.files.member());
    ChannelAdmin admin = new ChannelAdmin(cluster, requests);
    List<Integer> nodes = cluster.genesisConsenters();
    cluster.startAll();
    cluster.joinAll();
    int leader = cluster.awaitLeader(AWAIT);
    Set<String> sent = new HashSet<>(broadcast(requests, leader, "before", 10));
    int rotated = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    int via = nodes.stream().filter(n -> n != rotated).findFirst().orElseThrow();

    Path target = cluster.files.ordererTls(rotated);
    Path source = cluster.files.ordererTls(SPARE);
    ByteString oldPem = cluster.files.tlsCert(rotated);
    X509Certificate oldCert = Pem.certificate(oldPem.toByteArray());
    copy(source.resolve("server.key"), target.resolve("server.key"));
    copy(source.resolve("server.crt"), target.resolve("server.crt"));
    ByteString newPem = cluster.files.tlsCert(rotated);
    X509Certificate newCert = Pem.certificate(newPem.toByteArray());
    assertThat(newCert).isNotEqualTo(oldCert);
    // the files changed, but no config names the new certificate yet: the node keeps the old one
    assertThat(presented(cluster.ports(rotated).cluster())).isEqualTo(oldCert);

    long sequence =
        admin.changeConsenters(
            via,
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
            });
    admin.awaitSequence(nodes, sequence);
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(presented(cluster.ports(rotated).cluster()))
                  .as("cluster listener of node %d", rotated)
                  .isEqualTo(newCert);
              assertThat(presented(cluster.ports(rotated).general()))
                  .as("client listener of node %d", rotated)
                  .isEqualTo(newCert);
            });

    // the rotated node still takes part: what it is sent is ordered on all three
    cluster.awaitLeader(AWAIT);
    sent.addAll(broadcast(requests, rotated, "via-rotated", 10));
    sent.addAll(broadcast(requests, via, "after-rotation", 10));
    cluster.awaitSameHeight(nodes, QUIET, AWAIT);
    Map<Integer, List<Block>> chains = new LinkedHashMap<>();
    nodes.forEach(n -> chains.put(n, Chains.read(cluster, requests, n)));
    Chains.assertSameHeight(chains);
    List<Block> first = chains.values().iterator().next();
    chains.forEach(
        (n, c) -> {
          Chains.assertHashChained(n, c);
          Chains.assertSigned(n, c);
          Chains.assertSameAtEveryHeight(nodes.getFirst(), first, n, c);
        });
    List<String> ordered = Chains.ids(first).stream().filter(sent::contains).toList();
    Chains.assertNoDuplicates(ordered);
    assertThat(new HashSet<>(ordered)).isEqualTo(sent);
    // the same raft IDs before and after: a rotation is no membership change
    assertThat(consenterIds(first.getLast())).hasSize(3).isEqualTo(consenterIds(first.get(1)));
  }

  private static List<Long> consenterIds(Block block) {
    try {
      return BlockMetadata.parseFrom(Blocks.consenterMetadata(block)).getConsenterIdsList();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("raft metadata of block " + block.getHeader().getNumber(), e);
    }
  }

  private List<String> broadcast(SignedRequests requests, int node, String prefix, int count) {
    return BroadcastCall.allAccepted(cluster, requests, node, prefix, count, AWAIT);
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  /** The certificate a listener presents in a TLS handshake with the orderer admin's client. */
  private X509Certificate presented(int port) {
    SSLContext ctx =
        cluster.tls.sslContext(
            Optional.of(TlsClients.ClientCert.in(cluster.files.ordererAdminTls(), "client")));
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException("TLS handshake with port " + port, e);
    }
  }
}
