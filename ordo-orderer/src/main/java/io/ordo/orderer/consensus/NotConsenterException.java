package io.ordo.orderer.consensus;

/**
 * This node is not one of the channel's consenters, so no consenter chain can be made for it; the
 * registrar follows such a channel instead ({@code follower.FollowerChannel}) when it has a block
 * puller.
 */
public final class NotConsenterException extends IllegalArgumentException {
  public NotConsenterException(String message) {
    super(message);
  }
}
