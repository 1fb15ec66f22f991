package io.ordo.raft.sim;

import io.ordo.raft.RawNodeProbe;
import io.ordo.raft.StateType;
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
 * rank, unless a leader shows up or its term moves first. This mirrors the orderer's fast failover
 * rule; pre-vote and check-quorum are what must keep it safe, and the simulation checks that they
 * do.
 */
final class GoneSignals {
  private record Signal(long at, long to, long gone) {}

  private record Campaign(long at, long term) {}

  private final List<Signal> signals = new ArrayList<>();
  private final Map<Long, Campaign> campaigns = new HashMap<>();

  /** Tells node {@code to}, at tick {@code at}, that the process of node {@code gone} is gone. */
  void send(long to, long gone, long at) {
    signals.add(new Signal(at, to, gone));
  }

  /** A crashed node forgets the campaign it had planned. */
  void crashed(long id) {
    campaigns.remove(id);
  }

  /** Whether node {@code id} plans a campaign (it saw its leader gone). */
  boolean campaignPlanned(long id) {
    return campaigns.containsKey(id);
  }

  int pending() {
    return signals.size() + campaigns.size();
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
        touched.add(n);
      }
    }
    return touched;
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
