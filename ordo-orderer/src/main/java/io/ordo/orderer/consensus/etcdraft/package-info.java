/**
 * Fabric's etcdraft consensus for one channel: {@link io.ordo.orderer.consensus.etcdraft.Node} runs
 * the raft core on its own thread (tick, persist, send, hand over, advance) over the channel's
 * {@code RaftStorage}; {@link io.ordo.orderer.consensus.etcdraft.Chain} runs the chain loop that
 * answers submits, cuts and proposes whole blocks on the leader, and writes committed blocks on
 * every node. Messages leave through a {@link io.ordo.orderer.consensus.etcdraft.RaftTransport} and
 * forwarded envelopes through a {@link io.ordo.orderer.consensus.etcdraft.Submitter}, both backed
 * by the cluster client in production. {@link io.ordo.orderer.consensus.etcdraft.Consenter} makes
 * the chain of each channel this node is a consenter of (raft IDs from the last block, self found
 * by its cluster certificate's public key, options from the channel config, storage under
 * Consensus.WALDir/SnapDir) and routes cluster traffic and unreachable reports to it. With a {@link
 * io.ordo.orderer.consensus.etcdraft.Replication}, a chain pulls the blocks a raft snapshot is
 * ahead by through its {@link io.ordo.orderer.consensus.etcdraft.CatchUp}, and an {@link
 * io.ordo.orderer.consensus.etcdraft.EvictionSuspector} checks, after a long time without a leader,
 * whether the newest config still lists this node. Consensus.WALDir/SnapDir) and routes cluster
 * traffic and unreachable reports to it. Config blocks change the consenter set: {@link
 * io.ordo.orderer.consensus.etcdraft.ConsenterChange} allocates raft IDs and the raft conf change,
 * the chain proposes it on the leader, tells the transport through {@link
 * io.ordo.orderer.consensus.etcdraft.ChainMembership}, hands leadership over before removing or
 * rotating the leader, and halts when this node is removed. {@link
 * io.ordo.orderer.consensus.etcdraft.EtcdRaftMetrics} holds a channel's {@code
 * consensus_etcdraft_*} meters that the chain and node update.
 */
package io.ordo.orderer.consensus.etcdraft;
