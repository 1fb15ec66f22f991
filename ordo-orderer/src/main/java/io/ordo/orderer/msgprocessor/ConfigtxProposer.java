package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigUpdateValidator;
import java.time.Clock;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * The {@link ConfigUpdateProposer} of a running channel: ordo-fabric's configtx validator, with the
 * etcdraft rules on consenter changes, checked at the clock's current time.
 */
public final class ConfigtxProposer implements ConfigUpdateProposer {
  private final String channelId;
  private final ChannelConfigLoader loader;
  private final Clock clock;

  public ConfigtxProposer(String channelId, ChannelConfigLoader loader, Clock clock) {
    this.channelId = channelId;
    this.loader = loader;
    this.clock = clock;
  }

  @Override
  public Config propose(ChannelConfig current, Envelope configUpdate) {
    return new ConfigUpdateValidator(channelId, current, loader)
        .propose(configUpdate, clock.instant())
        .configEnvelope()
        .getConfig();
  }
}
