package io.ordo.orderer.consensus;

/**
 * The chain cannot take an envelope now: not started, stopped, no leader, or the leader could not
 * be reached. Broadcast answers SERVICE_UNAVAILABLE with this message as the info.
 */
public class ChainUnavailableException extends RuntimeException {
  public ChainUnavailableException(String message) {
    super(message);
  }

  public ChainUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
