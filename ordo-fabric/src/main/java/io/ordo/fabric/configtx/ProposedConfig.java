package io.ordo.fabric.configtx;

import io.ordo.fabric.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;

/**
 * A validated config update's result.
 *
 * @param configEnvelope the next config (sequence + 1) with the client's update as last_update
 * @param config the typed view of the next config
 * @param membershipChange the etcdraft consenter change it makes (empty when none)
 */
public record ProposedConfig(
    ConfigEnvelope configEnvelope, ChannelConfig config, MembershipChange membershipChange) {}
