package io.ordo.cli.config;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import io.ordo.cli.client.BlockDelivery;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.crypto.Ecdsa;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Reads a channel's current config over Deliver as {@code peer channel fetch config} does: the
 * newest block, then the config block its metadata names. The first orderer of the target that
 * answers is used.
 */
final class ConfigReader {
  private final OrdererTarget target;
  private final Duration timeout;

  ConfigReader(OrdererTarget target, Duration timeout) {
    this.target = target;
    this.timeout = timeout;
  }

  CurrentConfig read() throws InterruptedException {
    BlockDelivery delivery = new BlockDelivery(target);
    CommandFailedException last = null;
    for (OrdererEndpoint endpoint : target.endpoints()) {
      try {
        return read(delivery, endpoint);
      } catch (CommandFailedException e) {
        last = e;
      }
    }
    throw last;
  }

  private CurrentConfig read(BlockDelivery delivery, OrdererEndpoint endpoint)
      throws InterruptedException {
    Block newest = one(delivery, endpoint, SignedEnvelopes.newestOnly(), "the newest block");
    long index;
    try {
      index = Blocks.lastConfigIndex(newest);
    } catch (RuntimeException e) {
      throw new CommandFailedException(
          "block "
              + newest.getHeader().getNumber()
              + " of channel "
              + target.channel()
              + " from "
              + endpoint
              + " names no last config block: "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
    Block config =
        index == newest.getHeader().getNumber()
            ? newest
            : one(delivery, endpoint, SignedEnvelopes.range(index, index), "config block " + index);
    try {
      return new CurrentConfig(
          config,
          newest.getHeader().getNumber() + 1,
          new ChannelConfigLoader(Ecdsa.preferred()).fromConfigBlock(config));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new CommandFailedException(
          "config block "
              + index
              + " of channel "
              + target.channel()
              + " does not load: "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }

  private Block one(
      BlockDelivery delivery,
      OrdererEndpoint endpoint,
      org.hyperledger.fabric.protos.orderer.SeekInfo seek,
      String what)
      throws InterruptedException {
    AtomicReference<Block> got = new AtomicReference<>();
    delivery.deliver(endpoint, seek, what, timeout, got::set);
    if (got.get() == null) {
      throw new CommandFailedException(
          "orderer " + endpoint + " sent no block for " + what + " of channel " + target.channel());
    }
    return got.get();
  }
}
