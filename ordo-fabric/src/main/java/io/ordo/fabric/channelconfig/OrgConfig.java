package io.ordo.fabric.channelconfig;

import io.ordo.fabric.msp.FabricMsp;
import java.util.List;
import java.util.Optional;

/**
 * An organisation group of the orderer or application section.
 *
 * @param name the group name
 * @param mspId its MSP ID
 * @param msp its X.509 MSP; empty for an idemix MSP, which this module does not verify
 * @param endpoints orderer endpoints ("host:port") of an orderer org, empty otherwise
 * @param anchorPeers anchor peers ("host:port") of an application org, empty otherwise
 */
public record OrgConfig(
    String name,
    String mspId,
    Optional<FabricMsp> msp,
    List<String> endpoints,
    List<String> anchorPeers) {
  public OrgConfig {
    endpoints = List.copyOf(endpoints);
    anchorPeers = List.copyOf(anchorPeers);
  }
}
