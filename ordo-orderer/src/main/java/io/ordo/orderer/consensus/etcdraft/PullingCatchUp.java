package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.replication.BlockPuller;
import io.ordo.orderer.replication.PulledChain;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Catch-up through a {@link BlockPuller}: the blocks after the ledger's last one, verified from the
 * channel's current config on, from the orderers that config names.
 */
public final class PullingCatchUp implements CatchUp {
  private final BlockPuller puller;
  private final ChannelConfigLoader loader;

  public PullingCatchUp(BlockPuller puller, ChannelConfigLoader loader) {
    this.puller = puller;
    this.loader = loader;
  }

  @Override
  public void pullUpTo(ConsenterSupport support, long to) {
    Block last = support.block(support.height() - 1);
    PulledChain chain =
        PulledChain.after(support.channelId(), loader, last, support.channelConfig());
    puller.pull(chain, to, support.channelConfig(), support::appendPulledBlocks);
  }

  @Override
  public void close() {
    puller.close();
  }
}
