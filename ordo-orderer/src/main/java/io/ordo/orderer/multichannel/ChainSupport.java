package io.ordo.orderer.multichannel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.ordo.fabric.block.BlockSigner;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.broadcast.BroadcastSupport;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.deliver.DeliverSupport;
import io.ordo.orderer.msgprocessor.ConfigUpdateProposer;
import io.ordo.orderer.msgprocessor.ConfigtxProposer;
import io.ordo.orderer.msgprocessor.StandardChannel;
import io.ordo.storage.ledger.BlockLedger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * One channel of the node (Fabric's {@code multichannel.ChainSupport}): its ledger, current config,
 * message processor, block cutter, block writer and chain, seen by Broadcast, Deliver and the chain
 * itself. The config is switched when a config block is written.
 */
public final class ChainSupport implements ConsenterSupport, BroadcastSupport, DeliverSupport {
  /** Told after a config block changed a channel's config, and when this node was evicted. */
  interface ConfigListener {
    void configChanged(String channel, ChannelConfig config);

    /** The chain found that config block {@code configBlock} removed this node. */
    void evicted(String channel, long configBlock);

    /** The chain stopped on its own; see {@link ConsenterSupport#chainFailed}. */
    default void chainFailed(String channel, Throwable cause) {}
  }

  private final String channel;
  private final BlockLedger ledger;
  private final ChannelResources resources;
  private final BlockWriter writer;
  private final BlockCutter cutter;
  private final StandardChannel processor;
  private final ConfigListener listener;
  private volatile ChannelConfig config;
  private final Chain chain;

  /**
   * Reads the channel's last config block and makes its chain (not started).
   *
   * @param ledger holds at least the genesis block
   * @param blockFilled told by the block cutter how long each batch took to fill, in nanoseconds
   */
  ChainSupport(
      String channel,
      BlockLedger ledger,
      ChannelResources resources,
      Consenter consenter,
      LongConsumer blockFilled,
      ConfigListener listener) {
    this.channel = channel;
    this.ledger = ledger;
    this.resources = resources;
    this.listener = listener;
    Block last = ledger.block(ledger.height() - 1);
    this.config = resources.loader().fromConfigBlock(ledger.block(Blocks.lastConfigIndex(last)));
    this.writer =
        new BlockWriter(channel, ledger, new BlockSigner(resources.signer(), resources.random()));
    this.cutter = new BlockCutter(() -> config.orderer().batchSize(), blockFilled);
    this.processor =
        new StandardChannel(
            channel,
            () -> config,
            resources.loader(),
            withConsensusChecks(
                new ConfigtxProposer(channel, resources.loader(), resources.clock())),
            resources.signer(),
            resources.noExpirationChecks(),
            resources.clock(),
            resources.random());
    this.chain = consenter.handleChain(this);
  }

  /** The configtx checks, then the chain's own (the chain is made after the processor). */
  private ConfigUpdateProposer withConsensusChecks(ConfigtxProposer configtx) {
    return (current, update) -> {
      Config next = configtx.propose(current, update);
      chain.validateConsensusMetadata(current, resources.loader().load(next));
      return next;
    };
  }

  // ---------------------------------------------------------------- ConsenterSupport

  @Override
  public String channelId() {
    return channel;
  }

  @Override
  public BlockCutter blockCutter() {
    return cutter;
  }

  @Override
  public ChannelConfig channelConfig() {
    return config;
  }

  @Override
  public StandardChannel processor() {
    return processor;
  }

  @Override
  public long height() {
    return ledger.height();
  }

  @Override
  public Block block(long number) {
    return ledger.block(number);
  }

  @Override
  public void writeBlock(Block block, ByteString consenterMetadata) {
    writer.writeBlock(block, consenterMetadata);
  }

  @Override
  public void writeOwnBlock(Block block, ByteString consenterMetadata) {
    writer.writeOwnBlock(block, consenterMetadata);
  }

  /**
   * Checks the config the block carries against the current one as Fabric's configtx Validate does
   * (sequence + 1, and its last_update reproduces it), writes it, then switches every reader of the
   * config (block cutter, message processor, Deliver, the chain's batch timer) to it: blocks after
   * this one are cut and checked under the new config.
   *
   * @throws BlockWriteException when the config does not follow from the current one
   */
  @Override
  public void writeConfigBlock(Block block, ByteString consenterMetadata) {
    ChannelConfig next = resources.loader().fromConfigBlock(block);
    checkFollows(block, next);
    writer.writeConfigBlock(block, consenterMetadata);
    config = next;
    listener.configChanged(channel, next);
  }

  @Override
  public void appendPulledBlocks(java.util.List<Block> blocks) {
    Block lastConfig = null;
    for (Block b : blocks) {
      if (ConfigBlocks.isConfigBlock(b)) {
        lastConfig = b;
      }
    }
    ChannelConfig next = lastConfig == null ? null : resources.loader().fromConfigBlock(lastConfig);
    writer.appendPulled(blocks);
    if (next != null) {
      config = next;
      listener.configChanged(channel, next);
    }
  }

  @Override
  public void evicted(long configBlock) {
    listener.evicted(channel, configBlock);
  }

  @Override
  public void chainFailed(Throwable cause) {
    listener.chainFailed(channel, cause);
  }

  private void checkFollows(Block block, ChannelConfig next) {
    long number = block.getHeader().getNumber();
    ChannelConfig current = config;
    if (next.sequence() != current.sequence() + 1) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": config block ["
              + number
              + "] has sequence "
              + next.sequence()
              + ", expected "
              + (current.sequence() + 1));
    }
    Envelope lastUpdate;
    Instant madeAt;
    try {
      Payload payload =
          Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
      lastUpdate = ConfigEnvelope.parseFrom(payload.getData()).getLastUpdate();
      Timestamp ts = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTimestamp();
      madeAt = Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    } catch (InvalidProtocolBufferException e) {
      throw new BlockWriteException(
          "channel " + channel + ": config block [" + number + "] does not decode");
    }
    // certificate validity is judged at the time the orderer made the config envelope, so that a
    // node writing the block later (catching up, restarted) reaches the same verdict
    Config derived;
    try {
      derived =
          new ConfigtxProposer(channel, resources.loader(), Clock.fixed(madeAt, ZoneOffset.UTC))
              .propose(current, lastUpdate);
    } catch (RuntimeException e) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": config block ["
              + number
              + "] does not follow from the current config: "
              + e.getMessage());
    }
    if (!derived.equals(next.config())) {
      throw new BlockWriteException(
          "channel "
              + channel
              + ": config block ["
              + number
              + "] holds a config its last_update does not produce");
    }
  }

  // ---------------------------------------------------------------- BroadcastSupport

  @Override
  public Chain chain() {
    return chain;
  }

  // ---------------------------------------------------------------- DeliverSupport

  @Override
  public BlockLedger ledger() {
    return ledger;
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<Void> errored() {
    return chain.errored();
  }
}
