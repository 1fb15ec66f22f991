package io.ordo.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.RawNodeProbe;
import io.ordo.raft.StateType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault cases of the orderer's fast failover, scripted on the cluster simulator with Fabric's
 * raft settings (election 10 ticks, heartbeat 1, pre-vote, check-quorum): a leader whose process is
 * seen gone is replaced within a few ticks, not an election timeout; a reset while the leader lives
 * moves nothing; and a leader that still sends but hears nothing is replaced without two leaders in
 * one term. The simulator checks election safety and log safety after every step; the random runs
 * of {@link ClusterSimulationTest} mix the same signals with every other fault.
 */
class FailoverScenariosTest {
  private static final int ELECTION_TICKS = 10;
  private static final long SEED = 0xFA11_0FE2L;

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aLeaderSeenGoneIsReplacedWithinTheSurvivorsRanksNotAnElectionTimeout(int size) {
    ClusterSimulation sim = settled(size);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());

    sim.crash(old.id, true);
    long ticks = ticksUntil(sim, () -> newLeader(sim, oldTerm) != null, 10 * ELECTION_TICKS);

    // the first survivor by raft ID campaigns at once; the last one a tick per rank later
    assertThat(ticks).as("ticks to a new leader").isLessThanOrEqualTo(size - 1);
    SimNode next = newLeader(sim, oldTerm);
    ByteString p = sim.propose(next);
    ticksUntil(sim, () -> appliedOnEveryRunningNode(sim, size, p), 3 * ELECTION_TICKS);
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aLeaderThatDiesSilentlyTakesAnElectionTimeout(int size) {
    // the contrast that shows the signal, not luck, makes the case above fast
    ClusterSimulation sim = settled(size);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());

    sim.crash(old.id, false);
    long ticks = ticksUntil(sim, () -> newLeader(sim, oldTerm) != null, 10 * ELECTION_TICKS);

    assertThat(ticks).as("ticks to a new leader").isGreaterThanOrEqualTo(ELECTION_TICKS - 1);
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aResetWhileTheLeaderLivesMovesNothing(int size) {
    ClusterSimulation sim = settled(size);
    SimNode leader = sim.currentLeader();
    long term = RawNodeProbe.term(leader.raw());
    long follower = leader.id == 1 ? 2 : 1;

    sim.tellGone(follower, leader.id);
    for (int i = 0; i < 3 * ELECTION_TICKS; i++) {
      sim.tick();
    }

    // the follower's pre-vote finds every other voter still hearing the leader
    assertThat(sim.currentLeader().id).isEqualTo(leader.id);
    assertThat(RawNodeProbe.term(leader.raw())).isEqualTo(term);
    assertThat(sim.leaderFollowedByAll()).isSameAs(leader);
    ByteString p = sim.propose(leader);
    ticksUntil(sim, () -> appliedOnEveryRunningNode(sim, size, p), 3 * ELECTION_TICKS);
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void resetsOnEveryFollowerAtOnceElectOneLeaderPerTerm(int size) {
    ClusterSimulation sim = settled(size);
    SimNode leader = sim.currentLeader();
    for (long id = 1; id <= size; id++) {
      if (id != leader.id) {
        sim.tellGone(id, leader.id);
      }
    }
    for (int i = 0; i < 3 * ELECTION_TICKS; i++) {
      sim.tick();
    }
    // election safety is checked after every step; the cluster must still settle and commit
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aLeaderThatStillSendsButHearsNothingIsReplacedWithoutTwoLeadersInOneTerm(int size) {
    ClusterSimulation sim = settled(size);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());
    for (long id = 1; id <= size; id++) {
      if (id != old.id) {
        sim.network().cutOneWay(id, old.id);
      }
    }

    ticksUntil(
        sim,
        () ->
            RawNodeProbe.state(old.raw()) != StateType.LEADER
                && newLeader(sim, oldTerm) != null
                && followedByAllBut(sim, size, newLeader(sim, oldTerm), old.id),
        10 * ELECTION_TICKS);
    SimNode next = newLeader(sim, oldTerm);
    long nextTerm = RawNodeProbe.term(next.raw());
    ByteString p = sim.propose(next);
    ticksUntil(sim, () -> appliedOnAllBut(sim, size, p, old.id), 3 * ELECTION_TICKS);

    // settled: the cut-off node's campaigns reach the others, who still hear their leader and
    // ignore them, so the new leader keeps its term
    for (int i = 0; i < 5 * ELECTION_TICKS; i++) {
      sim.tick();
    }
    assertThat(sim.currentLeader()).isSameAs(next);
    assertThat(RawNodeProbe.term(next.raw())).isEqualTo(nextTerm);
    sim.healAndFinish();
  }

  /**
   * The survivors see the leader's process go a rank apart in the wrong order, so that both stand
   * in the same tick and may each vote for itself: the one without a leader stands again a few
   * ticks later instead of waiting out the election timeout.
   */
  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void survivorsThatStandAtOnceStillElectWithinAFewTicks(int size) {
    ClusterSimulation sim = settled(size);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());
    List<Long> survivors = new ArrayList<>();
    for (long id = 1; id <= size; id++) {
      if (id != old.id) {
        survivors.add(id);
      }
    }

    sim.crash(old.id, false);
    // the last by rank hears first; each other one a tick per rank later, so all stand together
    for (int r = survivors.size() - 1; r >= 0; r--) {
      sim.tellGone(survivors.get(r), old.id);
      if (r > 0) {
        sim.tick();
      }
    }
    long ticks = ticksUntil(sim, () -> newLeader(sim, oldTerm) != null, 10 * ELECTION_TICKS);

    assertThat(ticks).as("ticks to a new leader").isLessThan(ELECTION_TICKS);
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void anIdleGroupGoesQuietAndAProposalWakesItAndCommits(int size) {
    ClusterSimulation sim = settled(size, true);
    ticksUntil(sim, sim::allQuiet, 3 * ELECTION_TICKS);
    long term = RawNodeProbe.term(sim.currentLeader().raw());
    long sent = sim.raftMessagesSent();
    // quiet for ten election timeouts: nobody ticks, nobody campaigns
    for (int i = 0; i < 10 * ELECTION_TICKS; i++) {
      sim.tick();
    }
    assertThat(sim.allQuiet()).isTrue();
    assertThat(RawNodeProbe.term(sim.currentLeader().raw())).isEqualTo(term);
    assertThat(sim.raftMessagesSent()).as("raft messages sent while quiet").isEqualTo(sent);

    ByteString p = sim.propose(sim.currentLeader());
    // woken by the proposal itself: committed within the tick, as on a busy group
    sim.tick();
    assertThat(appliedOnEveryRunningNode(sim, size, p)).isTrue();
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aQuietLeaderThatDiesSilentlyIsReplacedOnceItsPairHeartbeatsStop(int size) {
    ClusterSimulation sim = settled(size, true);
    ticksUntil(sim, sim::allQuiet, 3 * ELECTION_TICKS);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());

    sim.crash(old.id, false);
    long ticks = ticksUntil(sim, () -> newLeader(sim, oldTerm) != null, 10 * ELECTION_TICKS);

    // the followers wake after half an election timeout without its pair heartbeats, then elect
    // as usual
    System.out.printf("quiet leader died silently: new leader after %d ticks%n", ticks);
    assertThat(ticks).as("ticks to a new leader").isGreaterThanOrEqualTo(ELECTION_TICKS / 2);
    SimNode next = newLeader(sim, oldTerm);
    ByteString p = sim.propose(next);
    ticksUntil(sim, () -> appliedOnEveryRunningNode(sim, size, p), 3 * ELECTION_TICKS);
    sim.healAndFinish();
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void aQuietLeaderSeenGoneIsReplacedWithinTheSurvivorsRanks(int size) {
    ClusterSimulation sim = settled(size, true);
    ticksUntil(sim, sim::allQuiet, 3 * ELECTION_TICKS);
    SimNode old = sim.currentLeader();
    long oldTerm = RawNodeProbe.term(old.raw());

    sim.crash(old.id, true);
    long ticks = ticksUntil(sim, () -> newLeader(sim, oldTerm) != null, 10 * ELECTION_TICKS);

    assertThat(ticks).as("ticks to a new leader").isLessThanOrEqualTo(size - 1);
    SimNode next = newLeader(sim, oldTerm);
    ByteString p = sim.propose(next);
    ticksUntil(sim, () -> appliedOnEveryRunningNode(sim, size, p), 3 * ELECTION_TICKS);
    sim.healAndFinish();
  }

  /** A cluster with a leader every node follows and a first proposal applied everywhere. */
  private static ClusterSimulation settled(int size) {
    return settled(size, false);
  }

  private static ClusterSimulation settled(int size, boolean quiesce) {
    System.out.println(
        "failover scenario seed " + SEED + ", " + size + " nodes, quiescence " + quiesce);
    ClusterSimulation sim =
        new ClusterSimulation(SEED, SimParams.quietFabric(size).withQuiesce(quiesce), null);
    sim.start();
    // founders start without a leader; one campaigns first after its randomized timeout
    ticksUntil(sim, () -> sim.leaderFollowedByAll() != null, 10 * ELECTION_TICKS);
    ByteString p = sim.propose(sim.leaderFollowedByAll());
    ticksUntil(sim, () -> appliedOnEveryRunningNode(sim, size, p), 3 * ELECTION_TICKS);
    return sim;
  }

  /** Ticks until the condition holds and returns how many ticks that took; fails past the limit. */
  private static long ticksUntil(ClusterSimulation sim, BooleanSupplier condition, int limit) {
    long start = sim.now();
    while (!condition.getAsBoolean()) {
      assertThat(sim.now() - start).as("ticks waited").isLessThan(limit);
      sim.tick();
    }
    return sim.now() - start;
  }

  private static SimNode newLeader(ClusterSimulation sim, long afterTerm) {
    SimNode l = sim.currentLeader();
    return l != null && RawNodeProbe.term(l.raw()) > afterTerm ? l : null;
  }

  private static boolean followedByAllBut(
      ClusterSimulation sim, int size, SimNode leader, long except) {
    for (SimNode n : others(sim, size, except)) {
      if (RawNodeProbe.lead(n.raw()) != leader.id) {
        return false;
      }
    }
    return true;
  }

  private static boolean appliedOnEveryRunningNode(ClusterSimulation sim, int size, ByteString p) {
    return appliedOnAllBut(sim, size, p, 0);
  }

  private static boolean appliedOnAllBut(
      ClusterSimulation sim, int size, ByteString p, long except) {
    for (SimNode n : others(sim, size, except)) {
      if (!sim.isApplied(n, p)) {
        return false;
      }
    }
    return true;
  }

  private static List<SimNode> others(ClusterSimulation sim, int size, long except) {
    List<SimNode> up = new ArrayList<>();
    for (long id = 1; id <= size; id++) {
      SimNode n = sim.node(id);
      if (id != except && n.isUp()) {
        up.add(n);
      }
    }
    return up;
  }
}
