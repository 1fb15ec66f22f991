package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three orderer nodes in one JVM, each a whole {@link OrdererServer} started from its orderer.yaml
 * with cryptogen material, TLS on every listener, joined through the admin API.
 */
class ThreeNodeClusterTest {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestNetwork network;
  private ClusterDriver driver;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void startAndJoin() {
    network = new TestNetwork(dir, 3, TICK, Duration.ofMillis(200), 10);
    driver = new ClusterDriver(network);
    for (int i = 1; i <= 3; i++) {
      network.start(i);
    }
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = network.join(i);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(r.body()).contains("\"consensusRelation\":\"consenter\"");
    }
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    driver.close();
    network.close();
  }

  @Test
  void theSha256ChosenNodeLeadsAndEveryNodeDeliversTheSameHashChainedBlocks() throws Exception {
    long expectedLeader = CampaignRule.campaigner(CHANNEL, 3);
    awaitLeaderEverywhere(expectedLeader);

    Set<String> sent = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      sent.addAll(driver.broadcast(i, "round1-node" + i, 15));
    }
    List<List<Block>> perNode = driver.awaitDelivered(List.of(1, 2, 3), sent.size());
    driver.assertSameChain(perNode, sent);
  }

  @Test
  void aRestartedNodeResumesFromDiskAndCatchesUpWithoutLossOrDuplicates() throws Exception {
    long leader = awaitLeaderEverywhere(CampaignRule.campaigner(CHANNEL, 3));
    int follower = (int) (leader % 3) + 1;
    Set<String> sent = new HashSet<>(driver.broadcast(follower, "before", 10));
    driver.awaitDelivered(List.of(1, 2, 3), sent.size());

    network.stop(follower);
    sent.addAll(driver.broadcast((int) leader, "while-down", 20));
    network.start(follower);
    awaitLeaderEverywhere(leader);
    sent.addAll(driver.broadcast(follower, "after-restart", 10));

    List<List<Block>> perNode = driver.awaitDelivered(List.of(1, 2, 3), sent.size());
    driver.assertSameChain(perNode, sent);
    assertThat(network.servers.get(follower).registrar().channels())
        .singleElement()
        .satisfies(info -> assertThat(info.height()).isEqualTo(perNode.get(0).size()));
  }

  @Test
  void aClusterStreamFromACertificateThatIsNoConsentersIsRefused() throws Exception {
    awaitLeaderEverywhere(CampaignRule.campaigner(CHANNEL, 3));
    // the org admin's TLS certificate chains to the trusted TLS CA but belongs to no consenter
    Path adminTls =
        network.userDir("ordererOrganizations", TestNetwork.DOMAIN, "Admin").resolve("tls");
    ManagedChannel ch =
        network.channelTo(
            network.clusterPorts.get(0),
            adminTls.resolve("client.crt"),
            adminTls.resolve("client.key"));
    channels.add(ch);
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    StreamObserver<StepRequest> requests =
        ClusterGrpc.newStub(ch)
            .step(
                new StreamObserver<>() {
                  @Override
                  public void onNext(StepResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(t);
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(null);
                  }
                });
    requests.onNext(
        StepRequest.newBuilder()
            .setConsensusRequest(
                ConsensusRequest.newBuilder().setChannel(CHANNEL).setPayload(ByteString.EMPTY))
            .build());
    Throwable t = ended.get(10, TimeUnit.SECONDS);
    assertThat(t).isNotNull();
    assertThat(Status.fromThrowable(t).getDescription())
        .isEqualTo("certificate extracted from TLS connection isn't authorized");
    // and the cluster keeps ordering
    Set<String> sent = new HashSet<>(driver.broadcast(1, "after-refusal", 5));
    driver.assertSameChain(driver.awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
  }

  // ---------------------------------------------------------------- helpers

  private long awaitLeaderEverywhere(long expected) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (OrdererServer s : network.servers.values()) {
                assertThat(s.leaderOf(CHANNEL)).isEqualTo(expected);
              }
            });
    return expected;
  }
}
