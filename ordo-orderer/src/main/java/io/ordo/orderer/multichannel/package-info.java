/**
 * The channels of a node, as Fabric's {@code orderer/common/multichannel}: the {@link
 * io.ordo.orderer.multichannel.Registrar} (join, list, remove, resume from disk; the lookups of
 * Broadcast and Deliver), one {@link io.ordo.orderer.multichannel.ChainSupport} per channel
 * (ledger, current config, message processor, block cutter, chain) and the {@link
 * io.ordo.orderer.multichannel.BlockWriter} that signs and appends ordered blocks and appends
 * pulled ones as they were signed. Channels this node only follows (onboarding, non-consenter,
 * evicted) are {@code FollowerChannel}s the registrar promotes to chains when a config lists this
 * node.
 */
package io.ordo.orderer.multichannel;
