package io.ordo.orderer.cluster;

/**
 * Told when a message to a consenter could not be sent (buffer full, stream broken, no connection);
 * the chain reports the node unreachable to raft, which slows down and retries.
 */
@FunctionalInterface
public interface UnreachableListener {
  void unreachable(String channel, long nodeId);
}
