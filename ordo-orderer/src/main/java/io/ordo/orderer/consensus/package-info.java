/**
 * The seam between the node and a consensus implementation, as Fabric's {@code orderer/consensus}:
 * {@link io.ordo.orderer.consensus.Consenter} makes a {@link io.ordo.orderer.consensus.Chain} per
 * channel from a {@link io.ordo.orderer.consensus.ConsenterSupport}.
 */
package io.ordo.orderer.consensus;
