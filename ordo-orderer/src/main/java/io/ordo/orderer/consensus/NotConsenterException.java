package io.ordo.orderer.consensus;

/**
 * This node is not one of the channel's consenters, so no consenter chain can be made for it (it
 * would have to follow the channel, which Ordo cannot do yet).
 */
public final class NotConsenterException extends IllegalArgumentException {
  public NotConsenterException(String message) {
    super(message);
  }
}
