package io.ordo.raft.sim;

import io.ordo.raft.RawNodeProbe;
import io.ordo.raft.StateType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The "connection reset" signal of an orderer's cluster transport, as the simulator models it: a
 * follower whose stream to its leader is reset or refused learns that the leader's process is gone
 * (it may be wrong: a reset can come from a middlebox while the leader lives). It then forgets the
 * leader and campaigns after its rank among the surviving voters in raft ID order, one tick per
 * rank, unless a leader shows up or its term moves first; a pre-vote from another node reaching it
 * while it waits puts its campaign two ticks after that, and a node still standing without a leader
 * three ticks and its rank after it stood stands again (a split vote). This mirrors the orderer's
 * fast failover rule; pre-vote and check-quorum are what must keep it safe, and the simulation
 * checks that they do.
 */
final class GoneSignals {
  private record Signal(long at, long to, long gone) {}

  private record Campaign(long at, long term) {}

  private final List<Signal> signals = new ArrayList<>();
  private final Map<Long, Campaign> campaigns = new HashMap<>();

  /** When each node that stood looks whether it won, and how many more times it may stand. */
  private record SplitCheck(long at, int retriesLeft) {}

  private final Map<Long, SplitCheck> splitChecks = new HashMap<>();

  /** Tells node {@code to}, at tick {@code at}, that the process of node {@code gone} is gone. */
  void send(long to, long gone, long at) {
    signals.add(new Signal(at, to, gone));
  }

  /**
   * Node {@code to} receives {@code m}: another node's pre-vote puts off a campaign it waits to
   * start, so that the two do not stand at once.
   */
  void heard(long to, Message m, long now, Tracer trace) {
    Campaign c = campaigns.get(to);
    if (c != null && m.getType() == MessageType.MsgPreVote && c.at() < now + 2) {
      campaigns.put(to, new Campaign(now + 2, c.term()));
      trace.event("node %d puts its campaign off to t%d: %d stands", to, now + 2, m.getFrom());
    }
  }

  /** A crashed node forgets the campaign it had planned. */
  void crashed(long id) {
    campaigns.remove(id);
    splitChecks.remove(id);
  }

  /** Whether node {@code id} plans a campaign (it saw its leader gone). */
  boolean campaignPlanned(long id) {
    return campaigns.containsKey(id);
  }

  int pending() {
    return signals.size() + campaigns.size() + splitChecks.size();
  }

  /**
   * Delivers the signals due at {@code now} and starts the campaigns due then.
   *
   * @return the nodes whose raft state was touched, to hand out their Readies
   */
  List<SimNode> due(long now, Map<Long, SimNode> nodes, Tracer trace) {
    List<SimNode> touched = new ArrayList<>();
    for (Iterator<Signal> it = signals.iterator(); it.hasNext(); ) {
      Signal s = it.next();
      if (s.at() > now) {
        continue;
      }
      it.remove();
      SimNode n = nodes.get(s.to());
      if (n == null
          || !n.isUp()
          || RawNodeProbe.state(n.raw()) != StateType.FOLLOWER
          || RawNodeProbe.lead(n.raw()) != s.gone()) {
        continue;
      }
      n.raw().forgetLeader();
      long at = now + rank(n, s.gone());
      campaigns.put(n.id, new Campaign(at, RawNodeProbe.term(n.raw())));
      trace.event("node %d sees leader %d gone; campaigns at t%d", n.id, s.gone(), at);
      touched.add(n);
    }
    for (Iterator<Map.Entry<Long, Campaign>> it = campaigns.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Campaign> e = it.next();
      if (e.getValue().at() > now) {
        continue;
      }
      it.remove();
      SimNode n = nodes.get(e.getKey());
      if (n != null
          && n.isUp()
          && RawNodeProbe.state(n.raw()) == StateType.FOLLOWER
          && RawNodeProbe.lead(n.raw()) == 0
          && RawNodeProbe.term(n.raw()) == e.getValue().term()) {
        trace.event("node %d campaigns after its leader went", n.id);
        n.raw().campaign();
        splitChecks.put(n.id, new SplitCheck(now + splitCheckTicks(n), SPLIT_RETRIES));
        touched.add(n);
      }
    }
    Map<Long, SplitCheck> next = new HashMap<>();
    for (Iterator<Map.Entry<Long, SplitCheck>> it = splitChecks.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Long, SplitCheck> e = it.next();
      if (e.getValue().at() > now) {
        continue;
      }
      it.remove();
      SimNode n = nodes.get(e.getKey());
      if (n == null || !n.isUp() || RawNodeProbe.lead(n.raw()) != 0) {
        continue;
      }
      // a lost vote leaves a candidate a follower without a leader; either way, none was elected
      if (RawNodeProbe.state(n.raw()) != StateType.LEADER && e.getValue().retriesLeft() > 0) {
        trace.event("node %d still has no leader after standing; stands again", n.id);
        n.raw().campaign();
        next.put(n.id, new SplitCheck(now + splitCheckTicks(n), e.getValue().retriesLeft() - 1));
        touched.add(n);
      }
    }
    splitChecks.putAll(next);
    return touched;
  }

  private static final int SPLIT_RETRIES = 3;

  /** Three ticks for a pre-vote and a vote, and a tick per rank among all voters. */
  private static long splitCheckTicks(SimNode n) {
    List<Long> voters = n.raw().status().config().voters().ids().stream().sorted().toList();
    return 3 + Math.max(0, voters.indexOf(n.id));
  }

  /** This node's place among the voters its raft knows, the gone leader left out. */
  private static int rank(SimNode n, long gone) {
    List<Long> survivors =
        n.raw().status().config().voters().ids().stream()
            .filter(id -> id != gone)
            .sorted()
            .toList();
    return Math.max(0, survivors.indexOf(n.id));
  }

  /** Where the simulation's trace goes. */
  interface Tracer {
    void event(String format, Object... args);
  }
}
