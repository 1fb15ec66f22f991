package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.storage.RaftStorage;
import io.ordo.storage.RaftStorageOptions;
import io.ordo.storage.wal.WalMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {
  private static final String CHANNEL = "mychannel";
  private static final List<Long> IDS = List.of(1L, 2L, 3L);

  @TempDir Path dir;
  private final InMemoryTransport network = new InMemoryTransport();
  private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
  private final Map<Long, Recorder> recorders = new ConcurrentHashMap<>();

  /** Keeps what a node hands over, as the chain would see it. */
  static final class Recorder implements Node.Applier {
    final List<Entry> committed = new CopyOnWriteArrayList<>();
    final List<Long> leaders = new CopyOnWriteArrayList<>();
    volatile long lead;
    volatile long leaderTerm;
    volatile Throwable failure;

    @Override
    public boolean apply(PersistedReady apply, AtomicBoolean running) {
      if (apply.soft() != null) {
        lead = apply.soft().lead();
        if (apply.soft().raftState() == StateType.LEADER) {
          leaderTerm = apply.term();
        }
        if (apply.soft().lead() != 0) {
          leaders.add(apply.soft().lead());
        }
      }
      committed.addAll(apply.entries());
      return true;
    }

    @Override
    public void nodeFailed(Throwable cause) {
      failure = cause;
    }

    List<ByteString> blocks() {
      List<ByteString> out = new ArrayList<>();
      for (Entry e : committed) {
        if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
          out.add(e.getData());
        }
      }
      return out;
    }
  }

  private void startNode(long id) {
    startNode(id, Duration.ofMillis(15));
  }

  private void startNode(long id, Duration tick) {
    Path storageDir = dir.resolve("node" + id);
    boolean fresh = !storageDir.resolve("wal").toFile().exists();
    Options options =
        new Options(
            id,
            IDS,
            storageDir.resolve("wal"),
            storageDir.resolve("snap"),
            tick,
            10,
            1,
            5,
            1024 * 1024,
            16 * 1024 * 1024);
    RaftStorage storage =
        RaftStorage.open(storageDir, new WalMetadata(id, CHANNEL), RaftStorageOptions.defaults());
    Recorder recorder = recorders.computeIfAbsent(id, k -> new Recorder());
    Node node = new Node(CHANNEL, options, storage, network.from(id), recorder);
    nodes.put(id, node);
    network.register(id, node::step);
    node.start(fresh, false);
  }

  private void stopNode(long id) {
    network.unregister(id);
    nodes.remove(id).stop();
  }

  @AfterEach
  void stopAll() {
    List.copyOf(nodes.keySet()).forEach(this::stopNode);
    recorders.forEach((id, r) -> assertThat(r.failure).as("raft loop of %d", id).isNull());
  }

  /**
   * A raft loop that ends on its own (a WAL write on a full disk; here the chain refusing what it
   * is handed) has its storage closed when the node is stopped, so that the chain can be started
   * again on the same WAL instead of finding it "already open in this process".
   */
  @Test
  void aNodeWhoseLoopFailedClosesItsStorageWhenStopped() {
    Path storageDir = dir.resolve("failing");
    Options options =
        new Options(
            1,
            List.of(1L),
            storageDir.resolve("wal"),
            storageDir.resolve("snap"),
            Duration.ofMillis(15),
            10,
            1,
            5,
            1024 * 1024,
            16 * 1024 * 1024);
    WalMetadata owner = new WalMetadata(1, CHANNEL);
    RaftStorage storage = RaftStorage.open(storageDir, owner, RaftStorageOptions.defaults());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Node node =
        new Node(
            CHANNEL,
            options,
            storage,
            network.from(1),
            new Node.Applier() {
              @Override
              public boolean apply(PersistedReady ready, AtomicBoolean running) {
                throw new IllegalStateException("the chain cannot take this");
              }

              @Override
              public void nodeFailed(Throwable cause) {
                failure.set(cause);
              }
            });
    node.start(true, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> failure.get() != null);
    node.stop();
    try (RaftStorage again = RaftStorage.open(storageDir, owner, RaftStorageOptions.defaults())) {
      assertThat(again.lastIndex()).isPositive();
    }
  }

  @Test
  void sha256ChosenNodeBecomesTheFirstLeaderOfANewChannel() {
    long campaigner = CampaignRule.campaigner(CHANNEL, 3);
    IDS.forEach(this::startNode);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> IDS.stream().allMatch(id -> !recorders.get(id).leaders.isEmpty()));
    for (long id : IDS) {
      assertThat(recorders.get(id).leaders.getFirst())
          .as("first leader seen by %d", id)
          .isEqualTo(campaigner);
    }
  }

  /**
   * With a tick of an hour no node ever ticks in this test: no election timeout, no campaign on a
   * tick. The leader can only come from the campaigner standing as soon as it has applied its
   * bootstrap configuration, its peers started before it as nodes are joined.
   */
  @Test
  void theCampaignerOfANewChannelStandsAtOnceWithoutWaitingForATick() {
    long campaigner = CampaignRule.campaigner(CHANNEL, 3);
    Duration hour = Duration.ofHours(1);
    IDS.stream().filter(id -> id != campaigner).forEach(id -> startNode(id, hour));
    startNode(campaigner, hour);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> IDS.stream().allMatch(id -> recorders.get(id).lead == campaigner));
  }

  @Test
  void proposedBlocksAreCommittedOnEveryNodeInOrderAndSurviveARestart() {
    IDS.forEach(this::startNode);
    await().atMost(Duration.ofSeconds(10)).until(() -> recorders.get(1L).lead != 0);
    long leader = recorders.get(1L).lead;
    await().atMost(Duration.ofSeconds(10)).until(() -> recorders.get(leader).leaderTerm != 0);
    List<ByteString> proposed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ByteString b = ByteString.copyFromUtf8("block-" + i);
      proposed.add(b);
      nodes.get(leader).propose(recorders.get(leader).leaderTerm, b);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> IDS.stream().allMatch(id -> recorders.get(id).blocks().size() == 5));
    for (long id : IDS) {
      assertThat(recorders.get(id).blocks()).as("node %d", id).isEqualTo(proposed);
    }
    // a restarted node replays its committed entries from the WAL without bootstrapping again
    long follower = IDS.stream().filter(id -> id != leader).findFirst().orElseThrow();
    stopNode(follower);
    recorders.put(follower, new Recorder());
    startNode(follower);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recorders.get(follower).blocks().size() == 5);
    assertThat(recorders.get(follower).blocks()).isEqualTo(proposed);
  }

  @Test
  void aBlockProposedForAnOldTermIsDropped() {
    IDS.forEach(this::startNode);
    await().atMost(Duration.ofSeconds(10)).until(() -> recorders.get(1L).lead != 0);
    long leader = recorders.get(1L).lead;
    await().atMost(Duration.ofSeconds(10)).until(() -> recorders.get(leader).leaderTerm != 0);
    long term = recorders.get(leader).leaderTerm;
    nodes.get(leader).propose(term - 1, ByteString.copyFromUtf8("stale"));
    nodes.get(leader).propose(term, ByteString.copyFromUtf8("fresh"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> IDS.stream().allMatch(id -> recorders.get(id).blocks().size() == 1));
    assertThat(recorders.get(leader).blocks()).containsExactly(ByteString.copyFromUtf8("fresh"));
  }
}
