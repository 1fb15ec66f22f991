/**
 * Config updates: validating a {@code CONFIG_UPDATE} envelope against a channel's current config
 * (channel, read set, mod policies, versions), computing the next config, the etcdraft rules on
 * consenter changes, and wrapping the result in an orderer-signed {@code CONFIG} envelope. Uses
 * {@code crypto}, {@code envelope}, {@code msp}, {@code policy} and {@code channelconfig}.
 */
package io.ordo.fabric.configtx;
