/**
 * Quorum arithmetic of etcd raft v3.5: which index a majority (or a joint pair of majorities) has
 * acknowledged, and how a set of votes decides an election.
 *
 * <p>Owns only set logic over node ids. It knows nothing of logs, progress or messages; callers
 * feed it acknowledged indexes through {@link io.ordo.raft.quorum.AckedIndexer} and votes as a map.
 */
package io.ordo.raft.quorum;
