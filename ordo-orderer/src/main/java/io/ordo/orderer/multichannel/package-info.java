/**
 * The channels of a node, as Fabric's {@code orderer/common/multichannel}; for now the {@link
 * io.ordo.orderer.multichannel.BlockWriter} that signs and appends ordered blocks.
 */
package io.ordo.orderer.multichannel;
