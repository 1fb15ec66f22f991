package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
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
  private LocalSigningIdentity client;
  private final SecureRandom random = new SecureRandom();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void startAndJoin() {
    network = new TestNetwork(dir, 3, TICK, Duration.ofMillis(200), 10);
    client = network.client();
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
    network.close();
  }

  @Test
  void theSha256ChosenNodeLeadsAndEveryNodeDeliversTheSameHashChainedBlocks() throws Exception {
    long expectedLeader = CampaignRule.campaigner(CHANNEL, 3);
    awaitLeaderEverywhere(expectedLeader);

    Set<String> sent = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      sent.addAll(broadcast(i, "round1-node" + i, 15));
    }
    List<List<Block>> perNode = awaitDelivered(List.of(1, 2, 3), sent.size());
    assertSameChain(perNode, sent);
  }

  @Test
  void aRestartedNodeResumesFromDiskAndCatchesUpWithoutLossOrDuplicates() throws Exception {
    long leader = awaitLeaderEverywhere(CampaignRule.campaigner(CHANNEL, 3));
    int follower = (int) (leader % 3) + 1;
    Set<String> sent = new HashSet<>(broadcast(follower, "before", 10));
    awaitDelivered(List.of(1, 2, 3), sent.size());

    network.stop(follower);
    sent.addAll(broadcast((int) leader, "while-down", 20));
    network.start(follower);
    awaitLeaderEverywhere(leader);
    sent.addAll(broadcast(follower, "after-restart", 10));

    List<List<Block>> perNode = awaitDelivered(List.of(1, 2, 3), sent.size());
    assertSameChain(perNode, sent);
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
    Set<String> sent = new HashSet<>(broadcast(1, "after-refusal", 5));
    assertSameChain(awaitDelivered(List.of(1, 2, 3), sent.size()), sent);
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

  /** Broadcasts {@code count} signed envelopes to node {@code node}; all must be SUCCESS. */
  private List<String> broadcast(int node, String prefix, int count) throws Exception {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    channels.add(ch);
    List<BroadcastResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<Envelope> stream =
        AtomicBroadcastGrpc.newStub(ch)
            .broadcast(
                new StreamObserver<>() {
                  @Override
                  public void onNext(BroadcastResponse r) {
                    responses.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String id = prefix + "-" + k;
      ids.add(id);
      stream.onNext(
          Envelopes.signed(
              HeaderType.ENDORSER_TRANSACTION,
              CHANNEL,
              ByteString.copyFromUtf8(id),
              client,
              random,
              Instant.now()));
    }
    await().atMost(AWAIT).until(() -> responses.size() == count || done.isDone());
    stream.onCompleted();
    assertThat(responses)
        .as("broadcast to node %d", node)
        .hasSize(count)
        .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
    return ids;
  }

  /** Waits until every node holds {@code txCount} transactions, then reads them with Deliver. */
  private List<List<Block>> awaitDelivered(List<Integer> nodes, int txCount) throws Exception {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(transactions(deliver(n, currentHeight(n)))).hasSize(txCount);
              }
            });
    List<List<Block>> out = new ArrayList<>();
    for (int n : nodes) {
      out.add(deliver(n, currentHeight(n)));
    }
    return out;
  }

  private long currentHeight(int node) {
    return network.servers.get(node).registrar().channel(CHANNEL).orElseThrow().height();
  }

  /** Blocks 0..height-1 of node {@code node} over Deliver (TLS, signed seek by the client). */
  private List<Block> deliver(int node, long height) throws Exception {
    try (ClusterDriver driver = new ClusterDriver(network)) {
      return driver.deliver(node, height);
    }
  }

  /** The payload data of every transaction after the genesis block, in block order. */
  private static List<String> transactions(List<Block> blocks)
      throws InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    for (Block b : blocks.subList(1, blocks.size())) {
      for (ByteString raw : b.getData().getDataList()) {
        Payload p = Payload.parseFrom(Envelope.parseFrom(raw).getPayload());
        out.add(p.getData().toString(StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Every node holds the same headers and data (signatures differ: each orderer signs its own
   * copy), hash-chained from the genesis block, with every sent envelope exactly once.
   */
  private void assertSameChain(List<List<Block>> perNode, Set<String> sent) throws Exception {
    List<Block> first = perNode.getFirst();
    assertThat(first.getFirst()).isEqualTo(network.genesis);
    for (List<Block> blocks : perNode) {
      assertThat(blocks).hasSameSizeAs(first);
      for (int i = 0; i < blocks.size(); i++) {
        assertThat(blocks.get(i).getHeader()).isEqualTo(first.get(i).getHeader());
        assertThat(blocks.get(i).getData()).isEqualTo(first.get(i).getData());
      }
    }
    for (int i = 1; i < first.size(); i++) {
      Block b = first.get(i);
      assertThat(b.getHeader().getNumber()).isEqualTo(i);
      assertThat(b.getHeader().getPreviousHash().toByteArray())
          .isEqualTo(BlockHashing.headerHash(first.get(i - 1).getHeader()));
      assertThat(
              Arrays.equals(
                  b.getHeader().getDataHash().toByteArray(), BlockHashing.dataHash(b.getData())))
          .isTrue();
    }
    List<String> txs = transactions(first);
    assertThat(txs).doesNotHaveDuplicates();
    assertThat(new HashSet<>(txs)).isEqualTo(sent);
  }
}
