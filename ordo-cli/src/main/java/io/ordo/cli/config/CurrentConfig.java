package io.ordo.cli.config;

import io.ordo.fabric.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A channel's config as its newest config block holds it.
 *
 * @param block the config block
 * @param height the channel's height when it was read (the newest block's number plus one)
 * @param loaded the config, every value checked
 */
record CurrentConfig(Block block, long height, ChannelConfig loaded) {
  long blockNumber() {
    return block.getHeader().getNumber();
  }

  long sequence() {
    return loaded.sequence();
  }

  org.hyperledger.fabric.protos.common.Config config() {
    return loaded.config();
  }
}
