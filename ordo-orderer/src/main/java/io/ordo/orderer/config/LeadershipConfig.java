package io.ordo.orderer.config;

import java.time.Duration;

/**
 * Ordo's leadership settings, keys of the {@code Consensus} section that Fabric's orderer does not
 * have (it ignores them, so one orderer.yaml serves both). Each feature is on by default; turning
 * one off gives Fabric's behaviour for it.
 *
 * @param fastFailover Consensus.FastFailover: followers that see the leader's process gone (its
 *     stream reset or refused) campaign at once instead of after the election timeout
 * @param handOffOnStop Consensus.HandOffOnStop: SIGTERM hands each leadership to a follower and
 *     answers what clients sent before the node stops
 * @param balanceLeaders Consensus.BalanceLeaders: this node asks for its share of the leaderships
 *     (⌊C/N⌋ or ⌈C/N⌉ of C channels on N orderers)
 * @param balanceSettleTime Consensus.BalanceSettleTime: how long leaderships must stay as they are
 *     before this node asks for one
 * @param leaderWait Consensus.LeaderWait: how long an envelope given while a channel has no leader
 *     waits for one before it is refused; zero refuses it at once, as Fabric does
 */
public record LeadershipConfig(
    boolean fastFailover,
    boolean handOffOnStop,
    boolean balanceLeaders,
    Duration balanceSettleTime,
    Duration leaderWait) {
  /** Every feature on; 5 s of still leaderships; Fabric's 7 s forwarding timeout as the wait. */
  public static final LeadershipConfig DEFAULTS =
      new LeadershipConfig(true, true, true, Duration.ofSeconds(5), Duration.ofSeconds(7));
}
