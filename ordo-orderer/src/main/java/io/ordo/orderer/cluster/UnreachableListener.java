package io.ordo.orderer.cluster;

/**
 * Told when a message to a consenter could not be sent (buffer full, stream broken, no connection);
 * the chain reports the node unreachable to raft, which slows down and retries.
 */
@FunctionalInterface
public interface UnreachableListener {
  void unreachable(String channel, long nodeId);

  /**
   * The stream to consenter {@code nodeId} broke the way a dead process breaks it (connection reset
   * or refused, the stream closed by the remote), not the way a silent network does; told once per
   * break, for each channel the stream carried messages of.
   */
  default void processGone(String channel, long nodeId) {}
}
