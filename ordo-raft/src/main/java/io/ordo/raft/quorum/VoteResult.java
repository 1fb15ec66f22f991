package io.ordo.raft.quorum;

/** The outcome of counting votes against a configuration. */
public enum VoteResult {
  /** Not decided yet: enough votes are missing that either outcome is still possible. */
  PENDING,
  /** Decided against: even if every missing vote were granted, there would be no quorum. */
  LOST,
  /** A quorum granted the vote. */
  WON
}
