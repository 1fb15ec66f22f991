package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.RaftConsenter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the leaderships of this node's channels over the orderers, so that with C channels on N
 * orderers each leads ⌊C/N⌋ or ⌈C/N⌉ (Fabric leaves them where elections put them, and after a node
 * returns, its peers keep leading everything). Every node runs one; only a leader acts, on its own
 * channels: when it leads two or more channels more than the orderer that leads fewest and that
 * orderer is live in one of them, it transfers that one channel to it. Nothing moves until the
 * leaderships it sees have been still for the settle time, and a node moves one channel at a time,
 * so moves never chase each other. Orderers are told apart by their cluster endpoint, which a node
 * has in every channel (its raft ID differs per channel).
 */
final class LeaderBalancer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderBalancer.class);

  private final Supplier<Collection<EtcdRaftChain>> chains;
  private final long settleNanos;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("leader-balancer").daemon().unstarted(r));
  private Map<String, String> lastSeen = Map.of();
  private long stillSince = System.nanoTime();

  /**
   * @param settle how long the leaderships must stay as they are before one is moved
   */
  LeaderBalancer(Supplier<Collection<EtcdRaftChain>> chains, Duration settle) {
    this.chains = chains;
    this.settleNanos = settle.toNanos();
    long period = Math.max(1, settle.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::roundQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("leader balancing failed: {}", e.toString());
    }
  }

  /** One look at the leaderships; moves at most one channel. Package-private for tests. */
  Optional<Move> round() {
    Map<String, String> leaders = new TreeMap<>();
    Map<String, Integer> led = new HashMap<>();
    String self = null;
    for (EtcdRaftChain c : chains.get()) {
      Map<Long, RaftConsenter> consenters = c.consenters();
      RaftConsenter me = consenters.get(c.raftId());
      RaftConsenter leader = consenters.get(c.leader());
      if (me == null || consenters.size() < 2) {
        continue;
      }
      self = me.endpoint();
      consenters.values().forEach(k -> led.putIfAbsent(k.endpoint(), 0));
      if (leader != null) {
        leaders.put(c.channel(), leader.endpoint());
        led.merge(leader.endpoint(), 1, Integer::sum);
      }
    }
    long now = System.nanoTime();
    if (!leaders.equals(lastSeen)) {
      lastSeen = leaders;
      stillSince = now;
      return Optional.empty();
    }
    if (self == null || now - stillSince < settleNanos) {
      return Optional.empty();
    }
    int mine = led.getOrDefault(self, 0);
    Optional<Move> move = pickMove(self, mine, led);
    move.ifPresent(
        m -> {
          log.info(
              "[channel: {}] leading {} channels while {} leads {}: handing this one to it",
              m.chain().channel(),
              mine,
              m.to().endpoint(),
              led.get(m.to().endpoint()));
          m.chain().transferLeadership(m.toId());
          stillSince = now; // the move itself is a change: wait for it to settle
        });
    return move;
  }

  /** A channel this node leads and the live consenter of it to hand it to. */
  record Move(EtcdRaftChain chain, long toId, RaftConsenter to) {}

  private Optional<Move> pickMove(String self, int mine, Map<String, Integer> led) {
    List<EtcdRaftChain> mineLed =
        chains.get().stream()
            .filter(c -> c.leader() == c.raftId())
            .sorted((a, b) -> a.channel().compareTo(b.channel()))
            .toList();
    // the orderers that lead fewest first, live in the channel to move
    List<Map.Entry<String, Integer>> fewest =
        led.entrySet().stream()
            .filter(e -> !e.getKey().equals(self))
            .sorted(
                Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    for (Map.Entry<String, Integer> target : fewest) {
      if (mine - target.getValue() < 2) {
        return Optional.empty();
      }
      for (EtcdRaftChain c : mineLed) {
        for (Map.Entry<Long, RaftConsenter> k : c.consenters().entrySet()) {
          if (k.getValue().endpoint().equals(target.getKey())
              && c.activeNodes().contains(k.getKey())) {
            return Optional.of(new Move(c, k.getKey(), k.getValue()));
          }
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
