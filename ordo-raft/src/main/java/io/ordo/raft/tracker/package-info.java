/**
 * The leader's view of its followers, after etcd raft v3.5's {@code tracker} package: one {@link
 * io.ordo.raft.tracker.Progress} per node (match/next indexes, replication state, in-flight
 * appends), the active configuration ({@link io.ordo.raft.tracker.TrackerConfig}) and the votes of
 * the current election, all held by {@link io.ordo.raft.tracker.ProgressTracker}.
 *
 * <p>May import {@code io.ordo.raft.quorum} and the raftpb messages; nothing of the raft core.
 */
package io.ordo.raft.tracker;
