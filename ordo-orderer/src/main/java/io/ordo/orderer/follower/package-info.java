/**
 * Channels this node holds without running their consensus (Fabric's {@code
 * orderer/common/follower}): onboarding (pulling the chain up to the join block from the orderers
 * the join block names) and following (pulling new blocks as the consenters write them), until a
 * config block lists this node as a consenter. Depends on {@code replication}, ordo-storage and
 * ordo-fabric.
 */
package io.ordo.orderer.follower;
