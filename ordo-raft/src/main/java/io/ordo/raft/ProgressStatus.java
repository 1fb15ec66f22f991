package io.ordo.raft;

import io.ordo.raft.tracker.ProgressState;

/** A copy of a leader's view of one follower, for {@link Status}. */
public record ProgressStatus(
    long match,
    long next,
    ProgressState state,
    boolean probeSent,
    long pendingSnapshot,
    boolean recentActive,
    boolean isLearner,
    int inflight) {}
