package io.ordo.raft.sim;

import java.util.SplittableRandom;

/**
 * The shape of one simulated run, drawn from its seed: the cluster, the raft settings and how
 * hostile the network and the operator are.
 *
 * @param clusterSize voters at bootstrap (ids 1..clusterSize)
 * @param electionTick raft's election timeout in ticks
 * @param heartbeatTick raft's heartbeat interval in ticks
 * @param preVote raft's pre-vote
 * @param checkQuorum raft's check-quorum
 * @param disableProposalForwarding followers drop proposals instead of forwarding them
 * @param maxInflightMsgs raft's append window per follower
 * @param maxSizePerMsg raft's append paging limit in bytes
 * @param faultTicks ticks of the faulty phase before the network heals
 * @param dropRate chance that a sent message is lost
 * @param duplicateRate chance that a sent message arrives twice
 * @param delayRate chance that a message is delayed by 1..maxDelay ticks
 * @param maxDelay the longest delay in ticks
 * @param reorder whether messages due at the same tick arrive in random order (else in send order)
 * @param proposeRate chance per tick of a proposal at a random node
 * @param crashRate chance per tick that a node crashes
 * @param partitionRate chance per tick that the partition changes
 * @param transferRate chance per tick that the leader is asked to transfer leadership
 * @param confChangeRate chance per tick that the leader is asked for a membership change
 * @param snapshotRate chance per tick per node that it snapshots and compacts its log
 * @param goneSignalRate chance that a node still connected to a crashed one sees its process gone
 *     (the orderer's stream reset or refused), which makes a follower of it campaign at once
 * @param spuriousGoneRate chance per tick that a follower is wrongly told its live leader is gone
 * @param quiesce whether idle nodes quiesce as the orderer's channels do (no ticks while quiet,
 *     pair heartbeats between quiet nodes, see {@link io.ordo.raft.Quiescence}); such runs
 *     alternate busy and idle stretches so that the group goes quiet and wakes again
 */
public record SimParams(
    int clusterSize,
    int electionTick,
    int heartbeatTick,
    boolean preVote,
    boolean checkQuorum,
    boolean disableProposalForwarding,
    int maxInflightMsgs,
    long maxSizePerMsg,
    int faultTicks,
    double dropRate,
    double duplicateRate,
    double delayRate,
    int maxDelay,
    boolean reorder,
    double proposeRate,
    double crashRate,
    double partitionRate,
    double transferRate,
    double confChangeRate,
    double snapshotRate,
    double goneSignalRate,
    double spuriousGoneRate,
    boolean quiesce) {

  /**
   * Draws the parameters of a run. Most runs use Fabric's raft settings (pre-vote, check-quorum, no
   * proposal forwarding, election 10, heartbeat 1 ticks); a fifth vary them.
   */
  static SimParams draw(SplittableRandom rng) {
    int r = rng.nextInt(10);
    int size = r < 5 ? 3 : r < 8 ? 5 : 7;
    boolean fabric = rng.nextInt(5) != 0;
    int electionTick = fabric ? 10 : pick(rng, 5, 10, 20);
    int heartbeatTick = fabric ? 1 : 1 + rng.nextInt(Math.min(3, electionTick - 1));
    return new SimParams(
        size,
        electionTick,
        heartbeatTick,
        fabric || rng.nextBoolean(),
        fabric || rng.nextBoolean(),
        fabric || rng.nextBoolean(),
        pick(rng, 1, 5, 256),
        rng.nextBoolean() ? 64 : 1024 * 1024,
        400 + rng.nextInt(1200),
        rng.nextDouble() * 0.1,
        rng.nextDouble() * 0.05,
        rng.nextDouble() * 0.3,
        1 + rng.nextInt(3),
        rng.nextBoolean(),
        0.3 + rng.nextDouble() * 0.6,
        rng.nextDouble() * 0.02,
        rng.nextDouble() * 0.03,
        rng.nextDouble() * 0.02,
        rng.nextDouble() * 0.03,
        rng.nextDouble() * 0.03,
        rng.nextInt(4) == 0 ? 0 : 0.5 + rng.nextDouble() * 0.5,
        rng.nextDouble() * 0.02,
        false);
  }

  /** The same run with quiescence on or off. */
  SimParams withQuiesce(boolean on) {
    return new SimParams(
        clusterSize,
        electionTick,
        heartbeatTick,
        preVote,
        checkQuorum,
        disableProposalForwarding,
        maxInflightMsgs,
        maxSizePerMsg,
        faultTicks,
        dropRate,
        duplicateRate,
        delayRate,
        maxDelay,
        reorder,
        proposeRate,
        crashRate,
        partitionRate,
        transferRate,
        confChangeRate,
        snapshotRate,
        goneSignalRate,
        spuriousGoneRate,
        on);
  }

  /**
   * Fabric's raft settings on a perfect network with no random operator: for scripted scenarios,
   * which cause their faults themselves.
   */
  static SimParams quietFabric(int clusterSize) {
    return new SimParams(
        clusterSize,
        10,
        1,
        true,
        true,
        true,
        256,
        1024 * 1024,
        0,
        0,
        0,
        0,
        1,
        false,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        0,
        false);
  }

  private static int pick(SplittableRandom rng, int... choices) {
    return choices[rng.nextInt(choices.length)];
  }
}
