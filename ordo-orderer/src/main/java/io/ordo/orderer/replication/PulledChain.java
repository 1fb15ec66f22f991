package io.ordo.orderer.replication;

import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerificationException;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The verification state of a run of pulled blocks: the number and header hash expected next and
 * the config in force. Each block must carry the next number, chain on the one before, match its
 * data hash and (after the genesis block) carry orderer signatures satisfying {@code
 * /Channel/Orderer/BlockValidation} of the config in force; a config block then becomes the config
 * in force. A block that fails leaves the state as it was, so another endpoint can supply it.
 */
public final class PulledChain {
  static final String BLOCK_VALIDATION = "/Channel/Orderer/BlockValidation";

  private final String channel;
  private final ChannelConfigLoader loader;
  private long next;
  private byte[] previousHash;
  private ChannelConfig config;
  private BlockVerifier verifier;

  private PulledChain(
      String channel,
      ChannelConfigLoader loader,
      long next,
      byte[] previousHash,
      ChannelConfig config) {
    this.channel = channel;
    this.loader = loader;
    this.next = next;
    this.previousHash = previousHash;
    this.config = config;
    this.verifier =
        config == null ? null : new BlockVerifier(config.policies().get(BLOCK_VALIDATION));
  }

  /** Blocks following {@code last} (already trusted) under the config {@code inForce}. */
  public static PulledChain after(
      String channel, ChannelConfigLoader loader, Block last, ChannelConfig inForce) {
    return new PulledChain(
        channel,
        loader,
        last.getHeader().getNumber() + 1,
        BlockHashing.headerHash(last.getHeader()),
        inForce);
  }

  /**
   * Blocks from the genesis block on. The genesis block is unsigned: trust in it comes from the
   * caller checking that the chain ends at a block it trusts (the join block).
   */
  public static PulledChain fromGenesis(String channel, ChannelConfigLoader loader) {
    return new PulledChain(channel, loader, 0, null, null);
  }

  public String channel() {
    return channel;
  }

  /** The number of the block expected next. */
  public synchronized long next() {
    return next;
  }

  /** The config in force after the blocks verified so far; empty before the genesis block. */
  public synchronized Optional<ChannelConfig> config() {
    return Optional.ofNullable(config);
  }

  /**
   * Verifies {@code block} as the next one and advances.
   *
   * @throws BlockVerificationException naming the failed check
   */
  public synchronized void verify(Block block) {
    long number = block.getHeader().getNumber();
    if (number != next) {
      throw new BlockVerificationException(
          BlockVerificationException.Check.HEADER_PRESENT,
          number,
          "expected block " + next + " of channel " + channel,
          null);
    }
    boolean configBlock = ConfigBlocks.isConfigBlock(block);
    if (verifier == null) {
      // the genesis block: only its content is checked here
      if (!Arrays.equals(
          BlockHashing.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
        throw new BlockVerificationException(
            BlockVerificationException.Check.DATA_HASH,
            number,
            "the data does not hash to the header's data_hash",
            null);
      }
      if (!configBlock) {
        throw new BlockVerificationException(
            BlockVerificationException.Check.HEADER_PRESENT,
            number,
            "the first block of channel " + channel + " is not a config block",
            null);
      }
    } else {
      verifier.verify(block, previousHash);
    }
    ChannelConfig nextConfig = configBlock ? load(block) : config;
    next = number + 1;
    previousHash = BlockHashing.headerHash(block.getHeader());
    if (nextConfig != config) {
      config = nextConfig;
      verifier = new BlockVerifier(config.policies().get(BLOCK_VALIDATION));
    }
  }

  private ChannelConfig load(Block block) {
    try {
      return loader.fromConfigBlock(block);
    } catch (RuntimeException e) {
      throw new BlockVerificationException(
          BlockVerificationException.Check.HEADER_PRESENT,
          block.getHeader().getNumber(),
          "config block of channel " + channel + " does not load: " + e.getMessage(),
          e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
