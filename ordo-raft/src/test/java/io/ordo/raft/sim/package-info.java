/**
 * A deterministic cluster simulator for the raft core: {@code RawNode}s over {@code MemoryStorage}
 * on an in-memory network with drops, duplicates, delays, reordering, partitions, crashes and
 * restarts, "connection reset" signals (true and spurious) that make followers campaign at once,
 * membership changes and leadership transfers, all chosen by one seeded random source. It owns the
 * invariant checks (election safety, log matching, committed entries never change, one applied
 * sequence, proposals applied at most once) and the liveness check after healing. Other modules
 * reuse it through ordo-raft's test-jar.
 */
package io.ordo.raft.sim;
