/**
 * Replicating a channel's blocks from other orderers (Fabric's {@code cluster.BlockPuller}): a
 * Deliver client over mutual TLS that learns the endpoints' heights, streams a range of blocks from
 * the highest one through a bounded buffer, verifies each (data hash, hash chain, orderer
 * signatures against {@code /Channel/Orderer/BlockValidation} of the config in force) and fails
 * over to another endpoint on any error. Used by etcdraft catch-up, onboarding and follower
 * channels. Depends on ordo-fabric (verification, signing), {@code cluster} (TLS identity) and
 * {@code config} (the {@code General.Cluster.Replication*} settings).
 */
package io.ordo.orderer.replication;
