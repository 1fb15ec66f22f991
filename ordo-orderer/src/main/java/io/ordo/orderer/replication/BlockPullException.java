package io.ordo.orderer.replication;

/**
 * No endpoint could supply a block within the retries; the message names the channel, the block and
 * what each endpoint answered.
 */
public final class BlockPullException extends RuntimeException {
  private final String channel;
  private final long block;

  public BlockPullException(String channel, long block, String message) {
    super(message);
    this.channel = channel;
    this.block = block;
  }

  public String channel() {
    return channel;
  }

  /** The first block that could not be pulled. */
  public long block() {
    return block;
  }
}
