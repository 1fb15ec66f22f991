package io.ordo.orderer.cluster;

/**
 * A Step request refused by the cluster server; its message is what the sender's stream ends with.
 */
public final class ClusterRequestException extends RuntimeException {
  public ClusterRequestException(String message) {
    super(message);
  }
}
