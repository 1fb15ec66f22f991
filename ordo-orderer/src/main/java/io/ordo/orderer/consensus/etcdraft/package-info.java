/**
 * Fabric's etcdraft consensus for one channel: {@link io.ordo.orderer.consensus.etcdraft.Node} runs
 * the raft core on its own thread (tick, persist, send, hand over, advance) over the channel's
 * {@code RaftStorage}; {@link io.ordo.orderer.consensus.etcdraft.Chain} runs the chain loop that
 * answers submits, cuts and proposes whole blocks on the leader, and writes committed blocks on
 * every node. Messages leave through a {@link io.ordo.orderer.consensus.etcdraft.RaftTransport} and
 * forwarded envelopes through a {@link io.ordo.orderer.consensus.etcdraft.Submitter}, both backed
 * by the cluster client in production.
 */
package io.ordo.orderer.consensus.etcdraft;
