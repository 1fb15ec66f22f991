package io.ordo.orderer.multichannel;

import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.storage.ledger.LedgerSalvage;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Decides whether a channel whose data is damaged can be rebuilt from the other orderers as
 * onboarding builds a channel, and from which join block: the newest config block still readable
 * from its damaged ledger, provided this node can pull and the config names another orderer to pull
 * from (a consenter other than this node).
 */
final class ChannelRepair {
  private final ChannelConfigLoader loader;
  private final Predicate<ChannelConfig> isConsenter;
  private final boolean canPull;

  /**
   * @param isConsenter whether a config lists this node as a consenter
   * @param canPull whether this node has a block puller
   */
  ChannelRepair(ChannelConfigLoader loader, Predicate<ChannelConfig> isConsenter, boolean canPull) {
    this.loader = loader;
    this.isConsenter = isConsenter;
    this.canPull = canPull;
  }

  /**
   * The join block to rebuild {@code channel} from; reads the ledger folder, writes nothing.
   *
   * @param damage what the store said is damaged (file, offset, block)
   * @throws DamagedChannelException when the channel cannot be rebuilt, saying why
   */
  Block joinBlock(String channel, Path ledgerDir, String damage) {
    if (!canPull) {
      throw new DamagedChannelException(
          channel,
          damage,
          "this node has no block puller to fetch the channel from other orderers");
    }
    Block join =
        newestConfigBlock(ledgerDir)
            .orElseThrow(
                () ->
                    new DamagedChannelException(
                        channel,
                        damage,
                        "no config block can be read from its ledger in "
                            + ledgerDir
                            + ", so the orderers to fetch it from are unknown"));
    ChannelConfig config = loader.fromConfigBlock(join);
    int consenters = config.orderer().etcdRaft().map(r -> r.consenters().size()).orElse(0);
    int others = consenters - (isConsenter.test(config) ? 1 : 0);
    if (others < 1) {
      throw new DamagedChannelException(
          channel,
          damage,
          "config block ["
              + join.getHeader().getNumber()
              + "] names no consenter but this node, so no other orderer holds the channel");
    }
    return join;
  }

  /**
   * The newest config block the damaged ledger still holds intact: the one the newest readable
   * block names as its last config, else the one before it, and so on.
   */
  private Optional<Block> newestConfigBlock(Path ledgerDir) {
    try (LedgerSalvage salvage = LedgerSalvage.open(ledgerDir)) {
      long n = salvage.height() - 1;
      while (n >= salvage.first()) {
        Optional<Block> block = salvage.block(n);
        if (block.isEmpty()) {
          n--;
          continue;
        }
        long configIndex;
        try {
          configIndex = Blocks.lastConfigIndex(block.get());
        } catch (RuntimeException e) {
          n--;
          continue;
        }
        if (configIndex > n) {
          n--;
          continue;
        }
        Optional<Block> config = salvage.block(configIndex).filter(ConfigBlocks::isConfigBlock);
        if (config.isPresent() && loads(config.get())) {
          return config;
        }
        // the config in force at block n is damaged: an older one is the newest left
        n = configIndex - 1;
      }
      return Optional.empty();
    }
  }

  private boolean loads(Block block) {
    try {
      loader.fromConfigBlock(block);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
