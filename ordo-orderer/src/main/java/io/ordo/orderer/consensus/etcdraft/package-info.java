/**
 * Fabric's etcdraft consensus for one channel: {@link io.ordo.orderer.consensus.etcdraft.Node} runs
 * the raft core on its own thread (tick, persist, send, hand over, advance) over the channel's
 * {@code RaftStorage}; {@link io.ordo.orderer.consensus.etcdraft.EtcdRaftChain} runs the chain loop
 * over its parts: the {@link io.ordo.orderer.consensus.etcdraft.Intake} of submissions, the
 * leader's {@link io.ordo.orderer.consensus.etcdraft.BlockProposer}, the {@link
 * io.ordo.orderer.consensus.etcdraft.BlockApplier} that writes committed blocks on every node, and
 * the {@link io.ordo.orderer.consensus.etcdraft.MembershipChanges} of the consenter set. Messages
 * leave through a {@link io.ordo.orderer.consensus.etcdraft.RaftTransport} and forwarded envelopes
 * through a {@link io.ordo.orderer.consensus.etcdraft.Submitter}, both backed by the cluster client
 * in production. {@link io.ordo.orderer.consensus.etcdraft.EtcdRaftConsenter} makes the chain of
 * each channel this node is a consenter of (raft IDs from the last block, self found by its cluster
 * certificate's public key, options from the channel config, storage under
 * Consensus.WALDir/SnapDir) and routes cluster traffic and unreachable reports to it. With a {@link
 * io.ordo.orderer.consensus.etcdraft.OtherOrderersBlocks}, a chain pulls the blocks a raft snapshot
 * is ahead by through its {@link io.ordo.orderer.consensus.etcdraft.CatchUp}, and an {@link
 * io.ordo.orderer.consensus.etcdraft.EvictionSuspector} checks, after a long time without a leader,
 * whether the newest config still lists this node. {@link
 * io.ordo.orderer.consensus.etcdraft.ConsenterChange} allocates raft IDs and the raft conf change
 * of a config block, and the chain tells the transport through {@link
 * io.ordo.orderer.consensus.etcdraft.ChainMembership}. {@link
 * io.ordo.orderer.consensus.etcdraft.EtcdRaftMetrics} holds a channel's {@code
 * consensus_etcdraft_*} meters that the chain and node update.
 */
package io.ordo.orderer.consensus.etcdraft;
