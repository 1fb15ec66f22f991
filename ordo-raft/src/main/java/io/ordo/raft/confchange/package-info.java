/**
 * Configuration changes after etcd raft v3.5's {@code confchange} package: validating and applying
 * {@link io.ordo.raft.pb.ConfChangeSingle} lists to a tracker's configuration (simple changes and
 * joint consensus), rebuilding a configuration from a {@link io.ordo.raft.pb.ConfState}, and the
 * helpers etcd keeps on the raftpb conf-change messages.
 *
 * <p>Computes new configurations; never installs them. May import {@code io.ordo.raft.quorum},
 * {@code io.ordo.raft.tracker} and the raftpb messages.
 */
package io.ordo.raft.confchange;
