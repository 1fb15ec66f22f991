package io.ordo.bench;

import com.google.protobuf.ByteString;
import io.ordo.raft.Config;
import io.ordo.raft.MemoryStorage;
import io.ordo.raft.Peer;
import io.ordo.raft.RawNode;
import io.ordo.raft.Ready;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Three {@link RawNode}s over {@link MemoryStorage} on one thread, messages delivered in memory.
 * One operation is a round: the leader proposes 64 entries (one propose call each), then every
 * node's Ready is handled (entries and hard state appended to storage, messages stepped into the
 * other nodes, committed entries counted, advance) until no node has a Ready. The counter {@code
 * entries} counts entries applied on all three nodes. Nodes use Fabric's raft settings (pre-vote,
 * check-quorum, no proposal forwarding, 2 MB per message) with 256 messages in flight.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RaftClusterBenchmark {
  private static final int ENTRIES_PER_ROUND = 64;
  private static final int NODES = 3;

  @Param({"1024", "100"})
  public int entryBytes;

  private RawNode[] nodes;
  private MemoryStorage[] storages;
  private long[] applied;
  private long[] appliedData;
  private ByteString payload;
  private final List<Message> inFlight = new ArrayList<>();

  @Setup(Level.Trial)
  public void electLeader() {
    nodes = new RawNode[NODES];
    storages = new MemoryStorage[NODES];
    applied = new long[NODES];
    appliedData = new long[NODES];
    List<Peer> peers = new ArrayList<>();
    for (int i = 1; i <= NODES; i++) {
      peers.add(Peer.of(i));
    }
    for (int i = 0; i < NODES; i++) {
      storages[i] = new MemoryStorage();
      nodes[i] =
          new RawNode(
              Config.fabricDefaults(i + 1, storages[i])
                  .maxInflightMsgs(256)
                  .random(new SplittableRandom(i + 1))
                  .build());
      nodes[i].bootstrap(peers);
    }
    pump();
    nodes[0].campaign();
    pump();
    if (nodes[0].status().raftState() != StateType.LEADER) {
      throw new IllegalStateException("node 1 did not become leader: " + nodes[0].status());
    }
    byte[] b = new byte[entryBytes];
    new SplittableRandom(42).nextBytes(b);
    payload = ByteString.copyFrom(b);
  }

  @Benchmark
  public void round(ThroughputCounters counters) {
    long before = minAppliedData();
    RawNode leader = nodes[0];
    for (int i = 0; i < ENTRIES_PER_ROUND; i++) {
      leader.propose(payload);
    }
    pump();
    long done = minAppliedData() - before;
    if (done != ENTRIES_PER_ROUND) {
      throw new IllegalStateException("a round applied " + done + " entries on every node");
    }
    counters.entries += done;
    counters.bytes += done * entryBytes;
    for (int i = 0; i < NODES; i++) {
      // everything is applied everywhere: keep the in-memory logs short, as a snapshot would
      if (applied[i] > storages[i].firstIndex()) {
        storages[i].compact(applied[i]);
      }
    }
  }

  /** Handles every node's Ready and delivers messages until the cluster is quiet. */
  private void pump() {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (int i = 0; i < NODES; i++) {
        RawNode n = nodes[i];
        if (!n.hasReady()) {
          continue;
        }
        busy = true;
        Ready rd = n.ready();
        if (rd.hasHardState()) {
          storages[i].setHardState(rd.hardState());
        }
        storages[i].append(rd.entries());
        inFlight.addAll(rd.messages());
        for (Entry e : rd.committedEntries()) {
          if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
            appliedData[i]++;
          }
          applied[i] = e.getIndex();
        }
        n.advance(rd);
      }
      if (!inFlight.isEmpty()) {
        busy = true;
        List<Message> batch = new ArrayList<>(inFlight);
        inFlight.clear();
        for (Message m : batch) {
          nodes[(int) m.getTo() - 1].step(m);
        }
      }
    }
  }

  private long minAppliedData() {
    long min = Long.MAX_VALUE;
    for (long a : appliedData) {
      min = Math.min(min, a);
    }
    return min;
  }
}
