package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import io.ordo.orderer.cluster.ClusterClient;
import io.ordo.orderer.cluster.ClusterMembership;
import io.ordo.orderer.cluster.OrdoMarks;
import io.ordo.orderer.cluster.RemoteNode;
import io.ordo.orderer.ops.ChannelLog;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps quiet channels watched, since they neither tick nor heartbeat: one heartbeat per pair
 * of nodes, whatever the number of quiet channels they share. While this node has quiet channels,
 * it sends each other consenter of them one {@link OrdoMarks#PAIR_HEARTBEAT} every heartbeat
 * interval (the raft heartbeat's: tick interval times heartbeat ticks, the shortest among its quiet
 * channels), on the cluster stream the pair already has. A quiet channel whose consenter has not
 * been heard from so for half an election timeout (at least three heartbeats) is woken: it ticks
 * again, and if that consenter led it and is gone, its followers elect another as usual.
 *
 * <p>Quiet channels only have Ordo nodes as consenters (a leader lets a channel go quiet only when
 * every follower says it quiesces), so pair heartbeats never reach a Fabric orderer.
 */
final class PairHeartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PairHeartbeats.class);

  /** How long the thread sleeps while no channel is quiet; a channel going quiet wakes it. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Target(String channel, long id) {}

  private final ClusterMembership membership;
  private final ClusterClient client;
  private final Function<String, EtcdRaftChain> chains;

  /** The quiet channels of this node, and since when each is quiet. */
  private final Map<String, Long> quietSince = new ConcurrentHashMap<>();

  /** When each other node (by its client certificate's public key) was last heard from. */
  private final Map<ByteString, Long> heard = new ConcurrentHashMap<>();

  private final Map<X509Certificate, ByteString> keys = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param chains the chain of a channel, or null when it has none
   */
  PairHeartbeats(
      ClusterMembership membership, ClusterClient client, Function<String, EtcdRaftChain> chains) {
    this.membership = membership;
    this.client = client;
    this.chains = chains;
    this.thread = Thread.ofVirtual().name("pair-heartbeats").start(this::run);
  }

  /** {@code channel} went quiet or woke up. */
  void quietChanged(String channel, boolean quiet) {
    if (quiet) {
      quietSince.put(channel, System.nanoTime());
      LockSupport.unpark(thread);
    } else {
      quietSince.remove(channel);
    }
  }

  /** {@code channel} has no chain here any more. */
  void removed(String channel) {
    quietSince.remove(channel);
  }

  /** Consenter {@code sender} of {@code channel} sent its pair heartbeat. */
  void heard(String channel, long sender) {
    membership.remote(channel, sender).ifPresent(r -> heard.put(key(r), System.nanoTime()));
  }

  /** How many of this node's channels are quiet now. */
  int quietChannels() {
    return quietSince.size();
  }

  private void run() {
    while (!closed) {
      long next = IDLE_NANOS;
      try {
        if (!quietSince.isEmpty()) {
          next = round();
        }
      } catch (RuntimeException e) {
        log.warn("pair heartbeat round failed: {}", e.toString(), e);
      }
      LockSupport.parkNanos(this, next);
    }
  }

  /**
   * Wakes the quiet channels whose consenters went silent and heartbeats the others' nodes.
   *
   * @return nanoseconds until the next round
   */
  private long round() {
    long now = System.nanoTime();
    long interval = IDLE_NANOS;
    Map<ByteString, Target> targets = new HashMap<>();
    for (Map.Entry<String, Long> e : quietSince.entrySet()) {
      String channel = e.getKey();
      EtcdRaftChain chain = chains.apply(channel);
      if (chain == null || !chain.quiet()) {
        quietSince.remove(channel, e.getValue());
        continue;
      }
      Options o = chain.options();
      long beat = o.tickInterval().toNanos() * o.heartbeatTick();
      long timeout = Math.max(3 * beat, o.tickInterval().toNanos() * o.electionTick() / 2);
      interval = Math.min(interval, beat);
      for (RemoteNode r : membership.remotes(channel)) {
        ByteString k = key(r);
        targets.putIfAbsent(k, new Target(channel, r.id()));
        Long last = heard.get(k);
        long since = last == null || last - e.getValue() < 0 ? e.getValue() : last;
        if (now - since > timeout) {
          String why =
              "no heartbeat from consenter "
                  + r.id()
                  + "'s node for "
                  + TimeUnit.NANOSECONDS.toMillis(now - since)
                  + " ms";
          ChannelLog.of(log, channel, chain.raftId()).info("waking up: {}", why);
          chain.wakeUp(why);
        }
      }
    }
    for (Target t : targets.values()) {
      client.sendConsensus(
          t.channel(),
          t.id(),
          OrdoMarks.mark(
                  ConsensusRequest.newBuilder().setChannel(t.channel()),
                  OrdoMarks.QUIESCES | OrdoMarks.PAIR_HEARTBEAT)
              .build());
    }
    return interval;
  }

  /** A node is known by its client certificate's public key, the same in all its channels. */
  private ByteString key(RemoteNode r) {
    if (keys.size() > 1024) {
      keys.clear();
    }
    return keys.computeIfAbsent(
        r.clientTlsCert(), c -> ByteString.copyFrom(c.getPublicKey().getEncoded()));
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
