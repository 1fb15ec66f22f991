package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.ops.ChannelLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * returns, its peers keep leading everything).
 *
 * <p>Every node runs one, and a node only ever asks for leadership: when an orderer leads two or
 * more channels more than this node does, this node asks that orderer's raft for one of those
 * channels, from the orderers over their share (⌈C/N⌉) first (raft forwards a follower's transfer
 * request to its leader). Asking rather than handing out is what lets a drained node stay drained
 * without telling anyone: it simply stops asking, and hands away at once whatever leadership an
 * election gives it.
 *
 * <p>Nothing moves until the leaderships this node sees have been still for the settle time; the
 * moves this node asked for do not count as a change, so that once one is done it asks for the next
 * without waiting again. An orderer gives up at most one channel to this node at a time, and only
 * the two nodes that lead fewest ask the same orderer in one round, so that moves never overshoot
 * into a move back. Orderers are told apart by their cluster endpoint, which a node has in every
 * channel (its raft ID differs per channel).
 *
 * <p>Its rounds run on its own timer thread; the chains' methods it calls only post requests to
 * their raft loops.
 */
final class LeaderBalancer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderBalancer.class);

  /** How many of the orderers that lead fewest may ask the same orderer in one round. */
  private static final int ASKERS_PER_GIVER = 2;

  private final Supplier<Collection<EtcdRaftChain>> chains;
  private final long settleNanos;
  private final boolean enabled;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("leader-balancer").daemon().unstarted(r));
  private volatile boolean drained;
  private Map<String, String> lastSeen = Map.of();
  private long stillSince = System.nanoTime();

  /** The channels this node asked for and does not lead yet, with when it stops waiting. */
  private final Map<String, Long> asked = new HashMap<>();

  /** When this node's and the other consenters' certificates expire. */
  private volatile io.ordo.orderer.expiry.ConsenterLifetimes lifetimes =
      io.ordo.orderer.expiry.ConsenterLifetimes.NONE;

  /** Channels handed away because this node's certificate expires soon, until when to wait. */
  private final Map<String, Long> expiryHandOffs = new HashMap<>();

  /**
   * @param settle how long the leaderships must stay as they are before one is moved
   * @param enabled whether this node asks for leaderships (a drained node hands them away either
   *     way)
   */
  LeaderBalancer(Supplier<Collection<EtcdRaftChain>> chains, Duration settle, boolean enabled) {
    this.chains = chains;
    this.settleNanos = settle.toNanos();
    this.enabled = enabled;
    long period = Math.max(1, Math.min(settle.toMillis() / 4, 1000));
    timer.scheduleWithFixedDelay(this::roundQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * A leader whose certificates on a channel expire within the warning threshold hands that
   * leadership to the consenter whose certificates live longest, and this node asks for none of
   * those channels again.
   */
  void lifetimes(io.ordo.orderer.expiry.ConsenterLifetimes lifetimes) {
    this.lifetimes = lifetimes;
  }

  /** A drained node asks for no leadership and hands away every one it gets. */
  void drained(boolean on) {
    drained = on;
  }

  boolean drained() {
    return drained;
  }

  private void roundQuietly() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("leader balancing failed: {}", e.toString());
    }
  }

  /** One look at the leaderships; the moves it asked for. Package-private for tests. */
  List<Move> round() {
    Leaderships now = Leaderships.of(chains.get());
    if (drained) {
      return handAway();
    }
    long t = System.nanoTime();
    List<Move> expiring = handAwayExpiring(t);
    if (!expiring.isEmpty()) {
      return expiring;
    }
    if (now.self() == null) {
      return List.of();
    }
    if (othersMoved(now)) {
      stillSince = t;
    }
    lastSeen = now.leaders();
    asked.entrySet().removeIf(e -> now.self().equals(now.leaders().get(e.getKey())));
    asked.values().removeIf(deadline -> t - deadline >= 0);
    if (!enabled || !asked.isEmpty() || t - stillSince < settleNanos) {
      return List.of();
    }
    List<Move> moves = ask(now);
    moves.forEach(m -> asked.put(m.chain().channel(), t + settleNanos));
    return moves;
  }

  /** Whether a leadership changed other than by a move this node asked for. */
  private boolean othersMoved(Leaderships now) {
    if (now.leaders().equals(lastSeen)) {
      return false;
    }
    for (Map.Entry<String, String> e : now.leaders().entrySet()) {
      String before = lastSeen.get(e.getKey());
      boolean asIAsked = asked.containsKey(e.getKey()) && e.getValue().equals(now.self());
      if (!e.getValue().equals(before) && !asIAsked) {
        return true;
      }
    }
    // a channel this node asked for is without a leader for the moment this node campaigns
    return !lastSeen.keySet().stream()
        .allMatch(k -> now.leaders().containsKey(k) || asked.containsKey(k));
  }

  /** A move this node asked for: {@code chain}'s leadership from {@code from} to this node. */
  record Move(EtcdRaftChain chain, String from) {}

  private List<Move> handAway() {
    List<Move> moves = new ArrayList<>();
    for (EtcdRaftChain c : chains.get()) {
      if (c.leader() == c.raftId() && c.consenters().size() > 1) {
        ChannelLog.of(log, c.channel()).info("this node is drained: handing leadership away");
        c.transferLeadership();
        moves.add(new Move(c, "self"));
      }
    }
    return moves;
  }

  /**
   * The leaderships this node holds on channels where its certificates expire within the warning
   * threshold, each asked of the live consenter whose certificates expire last (and later than this
   * node's); a request is made again only after the settle time.
   */
  private List<Move> handAwayExpiring(long t) {
    io.ordo.orderer.expiry.ConsenterLifetimes l = lifetimes;
    expiryHandOffs.values().removeIf(deadline -> t - deadline >= 0);
    List<Move> moves = new ArrayList<>();
    for (EtcdRaftChain c : chains.get()) {
      long self = c.raftId();
      if (c.leader() != self
          || c.consenters().size() < 2
          || expiryHandOffs.containsKey(c.channel())
          || !l.expiresSoon(c.channel(), self)) {
        continue;
      }
      java.util.Optional<java.time.Instant> mine = l.notAfter(c.channel(), self);
      long target = longestLived(c, l, mine.orElse(java.time.Instant.MIN));
      if (target == 0) {
        continue;
      }
      ChannelLog.of(log, c.channel(), self)
          .info(
              "this node's certificates expire at {}, within the warning threshold: handing"
                  + " leadership to consenter {} ({}), whose expire at {}",
              mine.map(Object::toString).orElse("?"),
              target,
              endpointOf(c, target),
              l.notAfter(c.channel(), target).map(Object::toString).orElse("?"));
      c.transferLeadership(target);
      expiryHandOffs.put(c.channel(), t + Math.max(settleNanos, TimeUnit.SECONDS.toNanos(2)));
      moves.add(new Move(c, "self"));
    }
    return moves;
  }

  /**
   * The consenter of {@code c} (other than this node, among the live ones when the chain knows
   * them) whose certificates expire last and after {@code than}; 0 for none.
   */
  static long longestLived(
      EtcdRaftChain c, io.ordo.orderer.expiry.ConsenterLifetimes l, java.time.Instant than) {
    List<Long> active = c.activeNodes();
    long best = 0;
    java.time.Instant bestAt = than;
    for (long id : c.consenters().keySet()) {
      if (id == c.raftId() || (!active.isEmpty() && !active.contains(id))) {
        continue;
      }
      java.time.Instant at = l.notAfter(c.channel(), id).orElse(null);
      if (at != null && at.isAfter(bestAt)) {
        best = id;
        bestAt = at;
      }
    }
    return best;
  }

  private List<Move> ask(Leaderships now) {
    int mine = now.led().getOrDefault(now.self(), 0);
    List<Move> moves = new ArrayList<>();
    for (String giver : giversToAsk(now.self(), now.led(), now.leaders().size())) {
      EtcdRaftChain channel = channelToAsk(now.self(), giver);
      if (channel != null) {
        ChannelLog.of(log, channel.channel())
            .info(
                "{} leads {} channels while this node leads {}: asking for this one",
                giver,
                now.led().get(giver),
                mine + moves.size());
        channel.transferLeadership(channel.raftId());
        moves.add(new Move(channel, giver));
      }
    }
    return moves;
  }

  /**
   * The orderers {@code self} asks for one channel each this round, given how many of {@code
   * channels} each orderer leads. Package-private for tests.
   */
  static List<String> giversToAsk(String self, Map<String, Integer> led, int channels) {
    int mine = led.getOrDefault(self, 0);
    int orderers = Math.max(1, led.size());
    int ceil = (channels + orderers - 1) / orderers;
    List<Map.Entry<String, Integer>> givers =
        led.entrySet().stream()
            .filter(e -> !e.getKey().equals(self))
            .sorted(
                Map.Entry.<String, Integer>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    // take from those over their share first: taking from one at its share only makes it ask
    boolean anyOver = givers.stream().anyMatch(g -> g.getValue() > ceil);
    List<String> asked = new ArrayList<>();
    for (Map.Entry<String, Integer> giver : givers) {
      int theirs = giver.getValue();
      // no stop at this node's share: a drained orderer leads nothing but counts among the N, so
      // the others' shares of C/N would leave them unbalanced among themselves
      if (theirs - (mine + asked.size()) < 2) {
        break;
      }
      if ((anyOver && theirs <= ceil) || !amongAskers(self, led, theirs)) {
        continue;
      }
      asked.add(giver.getKey());
    }
    return asked;
  }

  /** Whether this node is one of the few that lead fewest among those entitled to ask. */
  private static boolean amongAskers(String self, Map<String, Integer> led, int giverLeads) {
    List<String> askers =
        led.entrySet().stream()
            .filter(e -> giverLeads - e.getValue() >= 2)
            .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey))
            .map(Map.Entry::getKey)
            .limit(ASKERS_PER_GIVER)
            .toList();
    return askers.contains(self);
  }

  /**
   * One channel {@code giver} leads and this node is a consenter of. Each node orders the channels
   * by its own hash of them, so that two nodes asking the same orderer seldom ask for the same one.
   */
  private EtcdRaftChain channelToAsk(String self, String giver) {
    io.ordo.orderer.expiry.ConsenterLifetimes l = lifetimes;
    return chains.get().stream()
        .filter(c -> giver.equals(endpointOf(c, c.leader())))
        // a channel this node would have to hand away again is never asked for
        .filter(c -> !l.expiresSoon(c.channel(), c.raftId()))
        .min(Comparator.comparingInt(c -> (self + "\n" + c.channel()).hashCode()))
        .orElse(null);
  }

  private static String endpointOf(EtcdRaftChain c, long id) {
    RaftConsenter k = c.consenters().get(id);
    return k == null ? null : k.endpoint();
  }

  /**
   * Who leads what, as this node sees it: the leader's endpoint per channel, and per orderer how
   * many of this node's channels it leads (zero for a consenter that leads none).
   */
  private record Leaderships(String self, Map<String, String> leaders, Map<String, Integer> led) {
    static Leaderships of(Collection<EtcdRaftChain> chains) {
      Map<String, String> leaders = new TreeMap<>();
      Map<String, Integer> led = new HashMap<>();
      String self = null;
      for (EtcdRaftChain c : chains) {
        Map<Long, RaftConsenter> consenters = c.consenters();
        RaftConsenter me = consenters.get(c.raftId());
        if (me == null || consenters.size() < 2) {
          continue;
        }
        self = me.endpoint();
        consenters.values().forEach(k -> led.putIfAbsent(k.endpoint(), 0));
        RaftConsenter leader = consenters.get(c.leader());
        if (leader != null) {
          leaders.put(c.channel(), leader.endpoint());
          led.merge(leader.endpoint(), 1, Integer::sum);
        }
      }
      return new Leaderships(self, leaders, led);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
