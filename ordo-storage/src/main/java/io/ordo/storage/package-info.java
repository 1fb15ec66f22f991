/**
 * Durable storage of an orderer node: {@link io.ordo.storage.RaftStorage} pairs the raft WAL and
 * snapshot files with an in-memory raft log for the raft core; the block ledger lives in {@code
 * ledger}.
 */
package io.ordo.storage;
