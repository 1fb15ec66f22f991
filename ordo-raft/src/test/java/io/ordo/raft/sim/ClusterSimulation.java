package io.ordo.raft.sim;

import com.google.protobuf.ByteString;
import io.ordo.raft.Config;
import io.ordo.raft.MemoryStorage;
import io.ordo.raft.Messages;
import io.ordo.raft.Peer;
import io.ordo.raft.ProposalDroppedException;
import io.ordo.raft.Quiescence;
import io.ordo.raft.RawNodeProbe;
import io.ordo.raft.StateType;
import io.ordo.raft.Status;
import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeTransition;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One seeded run of a raft cluster: a faulty phase (lost, duplicated, delayed and reordered
 * messages, partitions, crashes and restarts, proposals, leadership transfers, membership changes,
 * snapshots), then the network heals and the run checks liveness: a leader within 10 election
 * timeouts, and every later proposal committed and applied on every member. Safety invariants are
 * checked after every step (a tick, a delivered message, an operator action).
 *
 * <p>Membership follows Fabric: a node added by a conf change starts (empty) when the change is
 * first applied anywhere; a node removed from the configuration halts when its removal is first
 * applied anywhere, and node ids are never reused.
 */
public final class ClusterSimulation {
  /** What a successful run did. */
  public record Summary(
      long seed,
      SimParams params,
      long ticks,
      long steps,
      int applied,
      int leaderTerms,
      long quietPeriods,
      long wakeUps) {}

  private final long seed;
  private final SplittableRandom rng;
  private final SimParams params;
  private final SimNetwork network;
  private final InvariantChecker checker = new InvariantChecker();
  private final GoneSignals gone = new GoneSignals();
  private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  private final Set<Long> retired = new HashSet<>();
  private final Set<Long> removed = new java.util.TreeSet<>();
  private final PrintStream trace;
  private long nextNodeId;
  private long proposalCounter;
  private long now;
  private long steps;
  private long raftMessagesSent;
  private long quietPeriods;
  private long wakeUps;

  private final SimNode.Environment environment =
      new SimNode.Environment() {
        @Override
        public SimNetwork.Outcome send(Message m) {
          raftMessagesSent++;
          SimNetwork.Outcome outcome = network.send(m, now);
          trace("send %s %d->%d %s", m.getType(), m.getFrom(), m.getTo(), outcome);
          return outcome;
        }

        @Override
        public InvariantChecker checker() {
          return checker;
        }

        @Override
        public long now() {
          return now;
        }

        @Override
        public void membershipApplied(SimNode node, ConfState before, ConfState after) {
          onMembershipApplied(node, before, after);
        }
      };

  /**
   * @param trace where to print every event, or null for silence
   */
  public ClusterSimulation(long seed, PrintStream trace) {
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
    // drawn apart from the run's own source: a run without quiescence is the run it always was
    this.params = SimParams.draw(rng).withQuiesce(new SplittableRandom(~seed).nextBoolean());
    this.network = new SimNetwork(rng.split(), params);
    this.trace = trace;
  }

  /**
   * A scripted run: the given parameters, faults caused by the script through the methods below.
   */
  ClusterSimulation(long seed, SimParams params, PrintStream trace) {
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
    this.params = params;
    this.network = new SimNetwork(rng.split(), params);
    this.trace = trace;
  }

  /**
   * Runs to the end.
   *
   * @throws InvariantViolation when a property fails (or the core throws), with the tick
   */
  public Summary run() {
    try {
      bootstrap();
      for (long end = params.faultTicks(); now < end; ) {
        faultyTick();
      }
      healAndCheckLiveness();
      checker.finalSweep(nodes.values());
    } catch (InvariantViolation e) {
      throw withContext(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw withContext("the raft core threw " + e, e);
    }
    return new Summary(
        seed,
        params,
        now,
        steps,
        checker.appliedCount(),
        checker.termsWithLeader(),
        quietPeriods,
        wakeUps);
  }

  private InvariantViolation withContext(String message, Throwable cause) {
    InvariantViolation v =
        new InvariantViolation(
            message + " (tick " + now + ", step " + steps + ", params " + params + ")");
    v.initCause(cause);
    return v;
  }

  private void bootstrap() {
    List<Peer> peers = new ArrayList<>();
    for (long id = 1; id <= params.clusterSize(); id++) {
      peers.add(Peer.of(id));
    }
    for (long id = 1; id <= params.clusterSize(); id++) {
      long founder = id;
      nodes.put(id, SimNode.founder(id, peers, storage -> config(storage, founder)));
    }
    nextNodeId = params.clusterSize() + 1;
    afterStep(null);
  }

  private Config config(MemoryStorage storage, long id) {
    return Config.builder(id, storage)
        .electionTick(params.electionTick())
        .heartbeatTick(params.heartbeatTick())
        .preVote(params.preVote())
        .checkQuorum(params.checkQuorum())
        .disableProposalForwarding(params.disableProposalForwarding())
        .maxInflightMsgs(params.maxInflightMsgs())
        .maxSizePerMsg(params.maxSizePerMsg())
        .random(rng.split())
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // the faulty phase

  private void faultyTick() {
    // with quiescence, busy and idle stretches alternate: crashes and partitions go on in both
    boolean idle = params.quiesce() && (now / (4L * params.electionTick())) % 2 == 1;
    if (rng.nextDouble() < params.proposeRate() && !idle) {
      proposeSomewhere();
    }
    if (rng.nextDouble() < params.transferRate() && !idle) {
      transferLeadership();
    }
    if (rng.nextDouble() < params.confChangeRate() && !idle) {
      changeMembership();
    }
    if (rng.nextDouble() < params.crashRate()) {
      crashOne();
    }
    if (rng.nextDouble() < params.spuriousGoneRate()) {
      spuriousGone();
    }
    for (SimNode n : List.copyOf(nodes.values())) {
      if (!n.isUp() && !retired.contains(n.id) && rng.nextInt(20) == 0) {
        restart(n);
      }
    }
    if (rng.nextDouble() < params.partitionRate()) {
      repartition();
    }
    for (SimNode n : nodes.values()) {
      if (n.isUp() && rng.nextDouble() < params.snapshotRate()) {
        n.snapshotAndCompact(rng.nextInt(4));
        trace("node %d snapshots at %d", n.id, n.state().appliedIndex());
      }
    }
    tickAndDeliver();
  }

  private void tickAndDeliver() {
    now++;
    // nodes' clocks are not in lock-step: tick them in a random order, so that ties between equal
    // election timeouts do not always favour the lowest id
    List<SimNode> order = new ArrayList<>(nodes.values());
    java.util.Collections.shuffle(order, new java.util.Random(rng.nextLong()));
    for (SimNode n : order) {
      if (n.isUp()) {
        tickOrQuiesce(n);
      }
    }
    if (gone.pending() > 0) {
      for (SimNode n : gone.due(now, nodes, this::trace)) {
        wake(n, "its leader is gone", false);
        n.handleReadies(environment);
        afterStep(n);
      }
    }
    int bound = 1_000_000;
    for (Message m = network.pollDue(now); m != null; m = network.pollDue(now)) {
      if (--bound == 0) {
        throw new InvariantViolation("the network never quiesces within one tick");
      }
      SimNode to = nodes.get(m.getTo());
      if (to == null || !to.isUp()) {
        continue;
      }
      trace("deliver %s %d->%d term %d", m.getType(), m.getFrom(), m.getTo(), m.getTerm());
      if (m.getContext().equals(PAIR_HEARTBEAT)) {
        to.pairHeard.put(m.getFrom(), now);
        continue;
      }
      if (m.getContext().equals(QUIESCE)) {
        onQuiesceHeartbeat(to, m.toBuilder().clearContext().build());
        afterStep(to);
        continue;
      }
      gone.heard(to.id, m, now, this::trace);
      wake(to, m.getType() + " from " + m.getFrom(), false);
      try {
        to.raw().step(m);
      } catch (ProposalDroppedException e) {
        // a forwarded proposal that the receiver cannot take: lost, as in etcd
      }
      to.handleReadies(environment);
      afterStep(to);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // quiescence, as the orderer's chain does it over the same rules (io.ordo.raft.Quiescence)

  /** Marks a quiesce heartbeat on the simulated wire (the orderer marks the cluster request). */
  private static final ByteString QUIESCE = ByteString.copyFromUtf8("ordo-quiesce");

  /** Marks a pair heartbeat, which is no raft message: a MsgBeat that raft would drop anyway. */
  private static final ByteString PAIR_HEARTBEAT = ByteString.copyFromUtf8("ordo-pair");

  /** Idle ticks before a leader quiesces, as the orderer's Node. */
  private static final int QUIESCE_AFTER_TICKS = 3;

  /**
   * A tick of one node: a quiet node is not ticked (it sends pair heartbeats and wakes when a
   * member's stop); an idle leader quiesces instead of ticking; any other node ticks.
   */
  private void tickOrQuiesce(SimNode n) {
    if (params.quiesce() && n.quiet) {
      if (now % params.heartbeatTick() == 0) {
        sendPairHeartbeats(n);
      }
      String silent = silentMember(n);
      if (silent == null) {
        return;
      }
      wake(n, silent, true);
    } else if (params.quiesce() && quiesceAsLeader(n)) {
      afterStep(n);
      return;
    }
    n.raw().tick();
    n.handleReadies(environment);
    afterStep(n);
  }

  private boolean quiesceAsLeader(SimNode n) {
    if (RawNodeProbe.state(n.raw()) != StateType.LEADER
        || now - n.lastActivity < QUIESCE_AFTER_TICKS
        || n.raw().hasReady()) {
      return false;
    }
    Status st = n.raw().status();
    if (Quiescence.leaderRefusal(st, n.storage().lastIndex(), id -> true).isPresent()) {
      return false;
    }
    for (long id : st.progress().keySet()) {
      if (id != n.id
          && environment.send(Quiescence.heartbeat(st, id).toBuilder().setContext(QUIESCE).build())
              == SimNetwork.Outcome.UNREACHABLE) {
        n.raw().reportUnreachable(id);
        return false;
      }
    }
    n.quiet = true;
    n.quietSince = now;
    quietPeriods++;
    trace("node %d quiesces as leader of term %d", n.id, st.term());
    return true;
  }

  private void onQuiesceHeartbeat(SimNode to, Message hb) {
    Optional<String> refusal =
        gone.campaignPlanned(to.id)
            ? Optional.of("a campaign is planned")
            : Quiescence.followerRefusal(to.raw().status(), to.storage().lastIndex(), hb);
    if (refusal.isEmpty()) {
      if (!to.quiet) {
        to.quiet = true;
        to.quietSince = now;
        quietPeriods++;
        trace("node %d quiesces as follower of %d", to.id, hb.getFrom());
      }
      return;
    }
    wake(to, "refused a quiesce heartbeat: " + refusal.get(), false);
    if (hb.getCommit() <= to.storage().lastIndex()) {
      to.raw().step(hb);
      to.handleReadies(environment);
    }
  }

  private void sendPairHeartbeats(SimNode n) {
    for (long id : members(n.confState())) {
      if (id != n.id) {
        network.send(
            Messages.message(MessageType.MsgBeat, id, n.id, 0).setContext(PAIR_HEARTBEAT).build(),
            now);
      }
    }
  }

  /** A member of a quiet node's configuration not heard from for too long, or null. */
  private String silentMember(SimNode n) {
    long timeout = Math.max(3L * params.heartbeatTick(), params.electionTick() / 2);
    for (long id : members(n.confState())) {
      if (id == n.id) {
        continue;
      }
      long last = Math.max(n.quietSince, n.pairHeard.getOrDefault(id, Long.MIN_VALUE));
      if (now - last > timeout) {
        return "no pair heartbeat from " + id + " since t" + last;
      }
    }
    return null;
  }

  /**
   * Wakes a quiet node; one that woke by itself (a silent member) tells its leader, whose group may
   * still be quiet, with a message raft drops.
   */
  private void wake(SimNode n, String why, boolean tellLeader) {
    if (!n.quiet || !n.isUp()) {
      return;
    }
    n.quiet = false;
    wakeUps++;
    trace("node %d wakes: %s", n.id, why);
    long lead = RawNodeProbe.lead(n.raw());
    if (tellLeader && lead != 0 && lead != n.id) {
      network.send(Messages.message(MessageType.MsgBeat, lead, n.id, 0).build(), now);
    }
  }

  /** The checks after every step, and the halting of removed nodes no longer needed. */
  private void afterStep(SimNode touched) {
    steps++;
    checker.checkLeaders(nodes.values());
    if (!removed.isEmpty()) {
      haltRemovedNodes();
    }
  }

  /**
   * A removed node halts (as Fabric's evicted orderer does) once every running member has applied a
   * configuration without it: until then a member may still count on its vote or its ack.
   */
  private void haltRemovedNodes() {
    for (var it = removed.iterator(); it.hasNext(); ) {
      long id = it.next();
      boolean stillNeeded = false;
      for (SimNode n : nodes.values()) {
        if (removed.contains(n.id) || retired.contains(n.id)) {
          continue;
        }
        // a member that is down may restart with a configuration that still needs the node
        if (!n.isUp() || members(n.confState()).contains(id)) {
          stillNeeded = true;
          break;
        }
      }
      if (!stillNeeded) {
        it.remove();
        retired.add(id);
        SimNode n = nodes.get(id);
        if (n != null && n.isUp()) {
          n.crash();
          processGone(id);
        }
        trace("node %d halts: removed from the configuration", id);
      }
    }
  }

  private void proposeSomewhere() {
    SimNode target = rng.nextBoolean() ? leader() : randomUpNode();
    if (target == null) {
      return;
    }
    int count = rng.nextInt(4) == 0 ? 1 + rng.nextInt(3) : 1;
    List<ByteString> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(newPayload(target.id));
    }
    wake(target, "a proposal", false);
    try {
      if (count == 1) {
        target.raw().propose(batch.get(0));
      } else {
        target.raw().propose(batch);
      }
      trace("node %d takes %d proposal(s)", target.id, count);
    } catch (ProposalDroppedException e) {
      trace("node %d drops %d proposal(s)", target.id, count);
    }
    target.handleReadies(environment);
    afterStep(target);
  }

  private ByteString newPayload(long nodeId) {
    ByteString data = ByteString.copyFromUtf8("n" + nodeId + "#" + proposalCounter++);
    checker.proposed(data);
    return data;
  }

  private void transferLeadership() {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    List<Long> voters = new ArrayList<>(leader.confState().getVotersList());
    voters.remove(leader.id);
    if (voters.isEmpty()) {
      return;
    }
    long to = voters.get(rng.nextInt(voters.size()));
    trace("node %d asked to transfer leadership to %d", leader.id, to);
    wake(leader, "a leadership transfer", false);
    leader.raw().transferLeader(to);
    leader.handleReadies(environment);
    afterStep(leader);
  }

  /**
   * Asks the leader for one membership change, as Fabric's operator would: one voter added or
   * removed at a time (v1), learners added, promoted or removed, and now and then a v2 joint change
   * replacing a voter.
   */
  private void changeMembership() {
    SimNode leader = leader();
    if (leader == null || leader.confState().getVotersOutgoingCount() > 0) {
      return;
    }
    List<Long> voters = leader.confState().getVotersList();
    List<Long> learners = leader.confState().getLearnersList();
    wake(leader, "a membership change", false);
    int minVoters = Math.max(3, params.clusterSize() - 1);
    int maxVoters = params.clusterSize() + 1;
    List<Runnable> choices = new ArrayList<>();
    if (voters.size() < maxVoters) {
      choices.add(() -> proposeV1(leader, ConfChangeType.ConfChangeAddNode, nextNodeId++));
    }
    if (voters.size() > minVoters) {
      choices.add(() -> proposeV1(leader, ConfChangeType.ConfChangeRemoveNode, pick(voters)));
    }
    if (learners.size() < 2) {
      choices.add(() -> proposeV1(leader, ConfChangeType.ConfChangeAddLearnerNode, nextNodeId++));
    }
    if (!learners.isEmpty()) {
      choices.add(() -> proposeV1(leader, ConfChangeType.ConfChangeRemoveNode, pick(learners)));
      if (voters.size() < maxVoters) {
        choices.add(() -> proposeV1(leader, ConfChangeType.ConfChangeAddNode, pick(learners)));
      }
    }
    choices.add(() -> proposeJointReplacement(leader, pick(voters), nextNodeId++));
    choices.get(rng.nextInt(choices.size())).run();
    if (leader.isUp()) {
      leader.handleReadies(environment);
    }
    afterStep(leader);
  }

  private long pick(List<Long> ids) {
    return ids.get(rng.nextInt(ids.size()));
  }

  private void proposeV1(SimNode leader, ConfChangeType type, long nodeId) {
    trace("node %d asked for %s %d", leader.id, type, nodeId);
    try {
      leader.raw().proposeConfChange(Messages.confChange(type, nodeId, null));
    } catch (ProposalDroppedException e) {
      trace("node %d drops the conf change", leader.id);
    }
  }

  private void proposeJointReplacement(SimNode leader, long out, long in) {
    trace("node %d asked to replace voter %d by %d (joint)", leader.id, out, in);
    ConfChangeV2 cc =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddNode)
                    .setNodeId(in))
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeRemoveNode)
                    .setNodeId(out))
            .build();
    try {
      leader.raw().proposeConfChange(cc);
    } catch (ProposalDroppedException e) {
      trace("node %d drops the conf change", leader.id);
    }
  }

  private void onMembershipApplied(SimNode node, ConfState before, ConfState after) {
    Set<Long> was = members(before);
    Set<Long> is = members(after);
    trace("node %d applies membership %s", node.id, after.toString().replace('\n', ' '));
    for (long id : is) {
      if (!was.contains(id) && !nodes.containsKey(id) && !retired.contains(id)) {
        nodes.put(id, SimNode.joiner(id, storage -> config(storage, id)));
        trace("node %d joins", id);
      }
    }
    for (long id : was) {
      if (!is.contains(id) && !retired.contains(id)) {
        removed.add(id);
      }
    }
  }

  static Set<Long> members(ConfState cs) {
    Set<Long> ids = new HashSet<>(cs.getVotersList());
    ids.addAll(cs.getLearnersList());
    ids.addAll(cs.getVotersOutgoingList());
    ids.addAll(cs.getLearnersNextList());
    return ids;
  }

  private void crashOne() {
    SimNode victim = randomUpNode();
    if (victim == null) {
      return;
    }
    if (rng.nextInt(3) == 0) {
      trace("node %d crashes while persisting", victim.id);
      victim.crashWhilePersisting(rng);
    } else {
      trace("node %d crashes", victim.id);
      victim.crash();
    }
    processGone(victim.id);
    afterStep(victim);
  }

  /**
   * The nodes still connected to a crashed one may see its process gone, at once or a tick later (a
   * node partitioned from it sees nothing: its connection attempts time out).
   */
  private void processGone(long id) {
    gone.crashed(id);
    for (SimNode n : nodes.values()) {
      if (n.id != id
          && n.isUp()
          && !network.isCut(n.id, id)
          && !network.isCut(id, n.id)
          && rng.nextDouble() < params.goneSignalRate()) {
        gone.send(n.id, id, now + rng.nextInt(2));
      }
    }
  }

  /** A connection reset while the leader lives: one follower is told its leader is gone. */
  private void spuriousGone() {
    SimNode n = randomUpNode();
    if (n == null) {
      return;
    }
    long lead = RawNodeProbe.lead(n.raw());
    if (lead != 0 && lead != n.id) {
      trace("node %d's stream to leader %d is reset though the leader lives", n.id, lead);
      gone.send(n.id, lead, now);
    }
  }

  private void restart(SimNode n) {
    trace("node %d restarts", n.id);
    n.start();
    checker.afterRestart(n);
    n.handleReadies(environment);
    afterStep(n);
  }

  private void repartition() {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    ids.removeAll(retired);
    network.reconnectAll();
    int kind = rng.nextInt(10);
    if (kind < 4 || ids.size() < 2) {
      trace("network reconnects");
    } else if (kind < 7) {
      List<Long> one = new ArrayList<>();
      List<Long> other = new ArrayList<>();
      for (long id : ids) {
        (rng.nextBoolean() ? one : other).add(id);
      }
      network.partition(one, other);
      trace("network splits %s | %s", one, other);
    } else if (kind < 9) {
      long isolated = pick(ids);
      List<Long> rest = new ArrayList<>(ids);
      rest.remove(isolated);
      network.partition(List.of(isolated), rest);
      trace("network isolates %d", isolated);
    } else {
      for (int i = 0; i < 1 + rng.nextInt(ids.size()); i++) {
        long from = pick(ids);
        long to = pick(ids);
        if (from != to) {
          network.cutOneWay(from, to);
          trace("network cuts %d->%d", from, to);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // healing and liveness

  private void healAndCheckLiveness() {
    network.heal();
    trace("network heals");
    for (SimNode n : List.copyOf(nodes.values())) {
      if (!n.isUp() && !retired.contains(n.id)) {
        restart(n);
      }
    }
    long electionTimeouts = 10L * params.electionTick();
    if (!params.preVote() && !params.checkQuorum()) {
      // Without either, a member whose term ran ahead ignores a leader of a lower term and the
      // leader never hears of it (etcd raft answers lower-term messages only with one of them on);
      // a removed node that keeps campaigning can keep a stale member there. Raft promises
      // liveness only with pre-vote or check-quorum, so such runs check safety alone.
      for (long end = now + electionTimeouts; now < end; ) {
        tickAndDeliver();
      }
      return;
    }
    long deadline = now + electionTimeouts;
    SimNode leader = stableLeader();
    while (leader == null) {
      if (now >= deadline) {
        throw new InvariantViolation(
            "liveness: no leader followed by every member within 10 election timeouts after healing;"
                + " nodes: "
                + describeNodes());
      }
      tickAndDeliver();
      leader = stableLeader();
    }
    leader = awaitSettledLeader(leader, now + electionTimeouts);
    trace("node %d leads the healed cluster; proposing", leader.id);
    List<ByteString> payloads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ByteString data = newPayload(leader.id);
      payloads.add(data);
      wake(leader, "a proposal", false);
      try {
        leader.raw().propose(data);
      } catch (ProposalDroppedException e) {
        throw new InvariantViolation(
            "liveness: the healed cluster's leader " + leader.id + " dropped a proposal: " + e);
      }
      leader.handleReadies(environment);
      afterStep(leader);
    }
    deadline = now + electionTimeouts;
    while (!appliedEverywhere(payloads)) {
      if (now >= deadline) {
        throw new InvariantViolation(
            "liveness: proposals made after healing were not applied on every member within 10"
                + " election timeouts; nodes: "
                + describeNodes());
      }
      tickAndDeliver();
    }
  }

  /**
   * Waits until one leader has been followed for two election timeouts in a row: right after
   * healing, followers may still name a leader that lost its quorum during the last partition, and
   * proposals made to it may rightly be lost.
   */
  private SimNode awaitSettledLeader(SimNode first, long deadline) {
    SimNode leader = first;
    long term = RawNodeProbe.term(first.raw());
    long since = now;
    while (now - since < 2L * params.electionTick()) {
      if (now >= deadline) {
        throw new InvariantViolation(
            "liveness: leadership did not settle for two election timeouts within 10 after the"
                + " first leader; nodes: "
                + describeNodes());
      }
      tickAndDeliver();
      SimNode current = stableLeader();
      if (current == null || current != leader || RawNodeProbe.term(current.raw()) != term) {
        leader = current;
        term = current == null ? 0 : RawNodeProbe.term(current.raw());
        since = now;
        if (current == null) {
          // keep waiting for a leader followed by everyone
          while (leader == null && now < deadline) {
            tickAndDeliver();
            leader = stableLeader();
          }
          if (leader == null) {
            continue;
          }
          term = RawNodeProbe.term(leader.raw());
          since = now;
        }
      }
    }
    return leader;
  }

  /** A leader of the highest term whom every running member follows, with no transfer pending. */
  private SimNode stableLeader() {
    SimNode leader = leader();
    if (leader == null || RawNodeProbe.leadTransferee(leader.raw()) != 0) {
      return null;
    }
    long term = RawNodeProbe.term(leader.raw());
    for (long id : members(leader.confState())) {
      SimNode n = nodes.get(id);
      if (n == null || !n.isUp()) {
        return null;
      }
      if (RawNodeProbe.lead(n.raw()) != leader.id || RawNodeProbe.term(n.raw()) != term) {
        return null;
      }
    }
    return leader;
  }

  private boolean appliedEverywhere(List<ByteString> payloads) {
    SimNode leader = leader();
    if (leader == null) {
      return false;
    }
    for (long id : members(leader.confState())) {
      SimNode n = nodes.get(id);
      if (n == null) {
        return false;
      }
      for (ByteString p : payloads) {
        if (!checker.isApplied(n, p)) {
          return false;
        }
      }
    }
    return true;
  }

  private String describeNodes() {
    StringBuilder sb = new StringBuilder();
    for (SimNode n : nodes.values()) {
      sb.append("\n  node ").append(n.id);
      if (retired.contains(n.id)) {
        sb.append(" retired");
      } else if (!n.isUp()) {
        sb.append(" down");
      } else {
        sb.append(
            String.format(
                " %s term %d lead %d commit %d applied %d last %d first %d conf %s",
                RawNodeProbe.state(n.raw()),
                RawNodeProbe.term(n.raw()),
                RawNodeProbe.lead(n.raw()),
                RawNodeProbe.committed(n.raw()),
                n.state().appliedIndex(),
                n.storage().lastIndex(),
                n.storage().firstIndex(),
                n.confState().toString().replace('\n', ' ')));
      }
    }
    return sb.toString();
  }

  /** The running leader of the highest term, if any. */
  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.isUp()
          && RawNodeProbe.state(n.raw()) == StateType.LEADER
          && (best == null || RawNodeProbe.term(n.raw()) > RawNodeProbe.term(best.raw()))) {
        best = n;
      }
    }
    return best;
  }

  private SimNode randomUpNode() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.isUp()) {
        up.add(n);
      }
    }
    return up.isEmpty() ? null : up.get(rng.nextInt(up.size()));
  }

  // ---------------------------------------------------------------------------------------------
  // the scripted scenarios' handles

  /** Starts the founders. */
  void start() {
    bootstrap();
  }

  /** One tick of every node, then every message due. */
  void tick() {
    tickAndDeliver();
  }

  long now() {
    return now;
  }

  SimNetwork network() {
    return network;
  }

  /** Raft messages the nodes sent so far (pair heartbeats are not raft messages). */
  long raftMessagesSent() {
    return raftMessagesSent;
  }

  /** Whether every running member is quiet. */
  boolean allQuiet() {
    for (SimNode n : nodes.values()) {
      if (n.isUp() && !retired.contains(n.id) && !n.quiet) {
        return false;
      }
    }
    return true;
  }

  SimNode node(long id) {
    return nodes.get(id);
  }

  /** The running leader of the highest term, or null. */
  SimNode currentLeader() {
    return leader();
  }

  /** The leader every running member follows in its term, or null. */
  SimNode leaderFollowedByAll() {
    return stableLeader();
  }

  /** Crashes the node; every node connected to it sees its process gone when {@code seen}. */
  void crash(long id, boolean seen) {
    SimNode n = nodes.get(id);
    trace("node %d crashes (%s)", id, seen ? "seen gone" : "silently");
    n.crash();
    gone.crashed(id);
    if (seen) {
      for (SimNode other : nodes.values()) {
        if (other.isUp()) {
          gone.send(other.id, id, now);
        }
      }
    }
    afterStep(n);
  }

  /** Tells node {@code to} that the process of {@code leader} is gone, whether or not it is. */
  void tellGone(long to, long leader) {
    trace("node %d is told leader %d is gone", to, leader);
    gone.send(to, leader, now);
  }

  /** Proposes a fresh payload at the node; the checker tracks it. */
  ByteString propose(SimNode at) {
    ByteString data = newPayload(at.id);
    wake(at, "a proposal", false);
    at.raw().propose(data);
    at.handleReadies(environment);
    afterStep(at);
    return data;
  }

  boolean isApplied(SimNode n, ByteString payload) {
    return checker.isApplied(n, payload);
  }

  /** Heals the network, checks that the cluster elects and commits again, and sweeps the logs. */
  void healAndFinish() {
    healAndCheckLiveness();
    checker.finalSweep(nodes.values());
  }

  private void trace(String format, Object... args) {
    if (trace != null) {
      trace.printf("[t%d] %s%n", now, String.format(format, args));
    }
  }
}
