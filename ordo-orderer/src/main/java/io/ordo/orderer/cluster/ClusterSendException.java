package io.ordo.orderer.cluster;

/**
 * A request could not be handed to a remote consenter's stream; the message names the destination,
 * e.g. Fabric's "timed out (7s) waiting on forwarding to 2".
 */
public final class ClusterSendException extends RuntimeException {
  public ClusterSendException(String message) {
    super(message);
  }

  public ClusterSendException(String message, Throwable cause) {
    super(message, cause);
  }
}
