package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.testing.BroadcastAnswers;
import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.nio.charset.StandardCharsets;
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
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * A client of a {@link TestNetwork}: broadcasts transactions and config updates, reads blocks with
 * Deliver, and checks that nodes hold the same chain.
 */
final class ClusterDriver implements AutoCloseable {
  static final Duration AWAIT = Duration.ofSeconds(30);

  private final TestNetwork network;
  private final LocalSigningIdentity client;
  private final LocalSigningIdentity ordererAdmin;
  private final SecureRandom random = new SecureRandom();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

  ClusterDriver(TestNetwork network) {
    this.network = network;
    this.client = network.client();
    this.ordererAdmin =
        LocalSigningIdentity.load(
            network.userDir("ordererOrganizations", TestNetwork.DOMAIN, "Admin").resolve("msp"),
            "OrdererMSP",
            Ecdsa.preferred());
  }

  LocalSigningIdentity client() {
    return client;
  }

  LocalSigningIdentity ordererAdmin() {
    return ordererAdmin;
  }

  /** The leader every running node agrees on. */
  long awaitLeaderEverywhere() {
    long[] leader = new long[1];
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              Set<Long> seen = new HashSet<>();
              for (OrdererServer s : network.servers.values()) {
                if (s.registrar()
                    .channel(CHANNEL)
                    .map(i -> i.consensusRelation())
                    .orElse("")
                    .equals("consenter")) {
                  seen.add(s.leaderOf(CHANNEL));
                }
              }
              assertThat(seen).hasSize(1).doesNotContain(0L);
              leader[0] = seen.iterator().next();
            });
    return leader[0];
  }

  /** A normal transaction carrying {@code id} as its data, signed by the client. */
  Envelope transaction(String id) {
    return Envelopes.signed(
        HeaderType.ENDORSER_TRANSACTION,
        CHANNEL,
        ByteString.copyFromUtf8(id),
        client,
        random,
        Instant.now());
  }

  /** Broadcasts the envelopes on one stream to node {@code node}; the answers in order. */
  List<BroadcastResponse> broadcastAll(int node, List<Envelope> envelopes) {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    channels.add(ch);
    BroadcastAnswers answers = new BroadcastAnswers();
    List<BroadcastResponse> responses = answers.responses;
    CompletableFuture<Void> done = answers.done;
    StreamObserver<Envelope> stream = AtomicBroadcastGrpc.newStub(ch).broadcast(answers);
    envelopes.forEach(stream::onNext);
    await().atMost(AWAIT).until(() -> responses.size() == envelopes.size() || done.isDone());
    stream.onCompleted();
    ch.shutdown();
    return List.copyOf(responses);
  }

  /** Broadcasts {@code count} transactions named prefix-k to {@code node}; all must succeed. */
  List<String> broadcast(int node, String prefix, int count) {
    List<String> ids = new ArrayList<>();
    List<Envelope> envs = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ids.add(prefix + "-" + k);
      envs.add(transaction(prefix + "-" + k));
    }
    List<BroadcastResponse> responses = broadcastAll(node, envs);
    assertThat(responses)
        .as("broadcast to node %d", node)
        .hasSize(count)
        .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
    return ids;
  }

  /** Broadcasts one envelope and returns the answer. */
  BroadcastResponse broadcastOne(int node, Envelope env) {
    List<BroadcastResponse> r = broadcastAll(node, List.of(env));
    assertThat(r).hasSize(1);
    return r.getFirst();
  }

  // ---------------------------------------------------------------- config updates

  ChannelConfig config(int node) {
    return network.servers.get(node).registrar().support(CHANNEL).orElseThrow().channelConfig();
  }

  /**
   * A CONFIG_UPDATE that replaces the value {@code name} of /Channel/Orderer, its new bytes made by
   * {@code change} from the current ones, signed by the orderer org admin.
   */
  Envelope ordererValueUpdate(
      ChannelConfig current, String name, UnaryOperator<ByteString> change) {
    return signedUpdate(
        OrdererConfigUpdates.ordererValue(CHANNEL, current.config(), name, change),
        ordererAdmin,
        ordererAdmin);
  }

  /** The CONFIG_UPDATE envelope of {@code update}, its config signature by {@code signer}. */
  Envelope signedUpdate(
      ConfigUpdate update, LocalSigningIdentity signer, LocalSigningIdentity submitter) {
    return OrdererConfigUpdates.signed(update, signer, submitter, random);
  }

  // ---------------------------------------------------------------- reading chains

  long height(int node) {
    return network.servers.get(node).registrar().channel(CHANNEL).orElseThrow().height();
  }

  /** Waits until every node of {@code nodes} has at least {@code height} blocks. */
  void awaitHeight(List<Integer> nodes, long height) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(height(n)).as("height of node %d", n).isGreaterThanOrEqualTo(height);
              }
            });
  }

  /**
   * Waits until node {@code node} knows {@code count} live consenters: consenter changes are
   * refused while the node cannot tell that they keep a quorum alive.
   */
  void awaitActiveNodes(int node, int count) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(network.servers.get(node).activeNodesOf(CHANNEL))
                    .as("live consenters known to node %d", node)
                    .hasSize(count));
  }

  /** Waits until every node of {@code nodes} runs the config of sequence {@code sequence}. */
  void awaitSequence(List<Integer> nodes, long sequence) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(config(n).sequence()).as("config of node %d", n).isEqualTo(sequence);
              }
            });
  }

  /** Waits until every node holds {@code txCount} transactions, then reads their chains. */
  List<List<Block>> awaitDelivered(List<Integer> nodes, int txCount) throws Exception {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(transactions(deliver(n, height(n)))).hasSize(txCount);
              }
            });
    long h = nodes.stream().mapToLong(this::height).min().orElseThrow();
    List<List<Block>> out = new ArrayList<>();
    for (int n : nodes) {
      out.add(deliver(n, h));
    }
    return out;
  }

  /** Blocks 0..height-1 of node {@code node} over Deliver. */
  List<Block> deliver(int node, long height) throws Exception {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    try {
      SeekInfo info =
          SeekInfo.newBuilder()
              .setStart(specified(0))
              .setStop(specified(height - 1))
              .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
              .build();
      List<Block> blocks = new CopyOnWriteArrayList<>();
      CompletableFuture<String> status = new CompletableFuture<>();
      StreamObserver<Envelope> requests =
          AtomicBroadcastGrpc.newStub(ch)
              .deliver(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverResponse r) {
                      if (r.hasBlock()) {
                        blocks.add(r.getBlock());
                      } else {
                        status.complete(r.getStatus().name());
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      status.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      status.complete("(completed)");
                    }
                  });
      requests.onNext(
          Envelopes.signed(
              HeaderType.DELIVER_SEEK_INFO,
              CHANNEL,
              info.toByteString(),
              client,
              random,
              Instant.now()));
      assertThat(status.get(20, TimeUnit.SECONDS)).isEqualTo("SUCCESS");
      requests.onCompleted();
      assertThat(blocks).hasSize((int) height);
      return blocks;
    } finally {
      ch.shutdownNow();
    }
  }

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  /** The data of every normal transaction after the genesis block, in block order. */
  static List<String> transactions(List<Block> blocks) throws InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    for (Block b : blocks.subList(1, blocks.size())) {
      if (isConfigBlock(b)) {
        continue;
      }
      for (ByteString raw : b.getData().getDataList()) {
        Payload p = Payload.parseFrom(Envelope.parseFrom(raw).getPayload());
        out.add(p.getData().toString(StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static boolean isConfigBlock(Block b) throws InvalidProtocolBufferException {
    if (b.getData().getDataCount() != 1) {
      return false;
    }
    Payload p = Payload.parseFrom(Envelope.parseFrom(b.getData().getData(0)).getPayload());
    return ChannelHeader.parseFrom(p.getHeader().getChannelHeader()).getType()
        == HeaderType.CONFIG_VALUE;
  }

  /** Numbers of the config blocks after the genesis block. */
  static List<Long> configBlocks(List<Block> blocks) throws InvalidProtocolBufferException {
    List<Long> out = new ArrayList<>();
    for (Block b : blocks.subList(1, blocks.size())) {
      if (isConfigBlock(b)) {
        out.add(b.getHeader().getNumber());
      }
    }
    return out;
  }

  /**
   * Every chain holds the same headers and data, hash-chained from the genesis block, with every
   * sent transaction exactly once and nothing else.
   */
  void assertSameChain(List<List<Block>> perNode, Set<String> sent) throws Exception {
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

  /**
   * Follows node {@code node}'s chain from block {@code from} with one Deliver stream, noting when
   * each block arrived.
   */
  BlockWatcher watch(int node, long from) {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    channels.add(ch);
    BlockWatcher watcher = new BlockWatcher();
    StreamObserver<Envelope> requests =
        AtomicBroadcastGrpc.newStub(ch)
            .deliver(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeliverResponse r) {
                    if (r.hasBlock()) {
                      watcher.arrived(r.getBlock());
                    }
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            CHANNEL,
            SeekInfo.newBuilder()
                .setStart(specified(from))
                .setStop(specified(Long.MAX_VALUE))
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
                // a leader change must not end the stream
                .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
                .build()
                .toByteString(),
            client,
            random,
            Instant.now()));
    return watcher;
  }

  /** Blocks seen by a {@link #watch} stream, with their arrival times. */
  static final class BlockWatcher {
    record Seen(Block block, long nanos, boolean config) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    void arrived(Block b) {
      try {
        seen.add(new Seen(b, System.nanoTime(), isConfigBlock(b)));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }

    List<Seen> seen() {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
