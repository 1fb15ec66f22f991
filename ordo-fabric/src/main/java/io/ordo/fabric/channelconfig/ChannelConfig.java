package io.ordo.fabric.channelconfig;

import io.ordo.fabric.msp.MspManager;
import io.ordo.fabric.policy.PolicyManager;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Config;

/**
 * A typed, immutable view of a channel config, every value checked when it was loaded.
 *
 * @param config the config tree it was read from
 * @param ordererAddresses the legacy global /Channel/OrdererAddresses (empty with V3_0)
 */
public record ChannelConfig(
    Config config,
    String hashingAlgorithm,
    long blockDataHashingWidth,
    List<String> ordererAddresses,
    Set<String> capabilities,
    OrdererConfig orderer,
    Optional<ApplicationConfig> application,
    MspManager msps,
    PolicyManager policies) {
  public ChannelConfig {
    ordererAddresses = List.copyOf(ordererAddresses);
    capabilities = Set.copyOf(capabilities);
  }

  public long sequence() {
    return config.getSequence();
  }
}
