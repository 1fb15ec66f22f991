/**
 * A typed, immutable view of a channel config (channel, orderer with etcdraft metadata, application
 * and organisations, MSPs, policies), every value checked on load with errors naming the config
 * path. Uses {@code msp}, {@code policy} and {@code crypto}.
 */
package io.ordo.fabric.channelconfig;
