package io.ordo.orderer.multichannel;

/**
 * A channel whose data on disk is damaged and that this node cannot rebuild from the other
 * orderers. The message is one line: the channel, the damage as the store named it (file, offset,
 * block) and why no rebuild is possible.
 */
public final class DamagedChannelException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  DamagedChannelException(String channel, String damage, String whyNotRebuilt) {
    super("channel " + channel + ": " + damage + "; not rebuilt: " + whyNotRebuilt);
    this.reason = damage + "; not rebuilt: " + whyNotRebuilt;
  }

  /** The message without the channel, for places that already name it. */
  public String reason() {
    return reason;
  }
}
