package io.ordo.raft.quorum;

/** Tells the quorum code up to which log index a voter has acknowledged (persisted) entries. */
@FunctionalInterface
public interface AckedIndexer {
  /** The highest index acknowledged by {@code voterId}, or 0 if the voter is unknown. */
  long ackedIndex(long voterId);
}
