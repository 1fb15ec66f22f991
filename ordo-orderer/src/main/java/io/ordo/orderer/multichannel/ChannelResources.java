package io.ordo.orderer.multichannel;

import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What every channel of the node shares: how configs are read, the orderer's signing identity
 * (blocks, config envelopes), randomness for nonces, the clock.
 *
 * @param noExpirationChecks General.Authentication.NoExpirationChecks
 */
public record ChannelResources(
    ChannelConfigLoader loader,
    LocalSigningIdentity signer,
    SecureRandom random,
    Clock clock,
    boolean noExpirationChecks) {}
