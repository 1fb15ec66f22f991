package io.ordo.orderer.multichannel;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockSigner;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.broadcast.BroadcastSupport;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.deliver.DeliverSupport;
import io.ordo.orderer.msgprocessor.ConfigtxProposer;
import io.ordo.orderer.msgprocessor.StandardChannel;
import io.ordo.orderer.replication.PulledChain;
import io.ordo.storage.ledger.BlockLedger;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;

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
   */
  ChainSupport(
      String channel,
      BlockLedger ledger,
      ChannelResources resources,
      Consenter consenter,
      ConfigListener listener) {
    this.channel = channel;
    this.ledger = ledger;
    this.resources = resources;
    this.listener = listener;
    Block last = ledger.block(ledger.height() - 1);
    this.config = resources.loader().fromConfigBlock(ledger.block(Blocks.lastConfigIndex(last)));
    this.writer =
        new BlockWriter(channel, ledger, new BlockSigner(resources.signer(), resources.random()));
    this.cutter = new BlockCutter(() -> config.orderer().batchSize());
    this.processor =
        new StandardChannel(
            channel,
            () -> config,
            resources.loader(),
            new ConfigtxProposer(channel, resources.loader(), resources.clock()),
            resources.signer(),
            resources.noExpirationChecks(),
            resources.clock(),
            resources.random());
    this.chain = consenter.handleChain(this);
  }

  Chain chain() {
    return chain;
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
  public void writeConfigBlock(Block block, ByteString consenterMetadata) {
    ChannelConfig next = resources.loader().fromConfigBlock(block);
    writer.writeConfigBlock(block, consenterMetadata);
    config = next;
    listener.configChanged(channel, next);
  }

  @Override
  public void appendPulledBlocks(java.util.List<Block> blocks) {
    Block lastConfig = null;
    for (Block b : blocks) {
      if (PulledChain.isConfigBlock(b)) {
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

  // ---------------------------------------------------------------- BroadcastSupport

  @Override
  public void waitReady() {
    chain.waitReady();
  }

  @Override
  public void order(Envelope envelope, long configSeq) {
    chain.order(envelope, configSeq);
  }

  @Override
  public void configure(Envelope configEnvelope, long configSeq) {
    chain.configure(configEnvelope, configSeq);
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
