/**
 * Orderer-to-orderer communication as Fabric v3.0's etcdraft does it: the {@code
 * orderer.Cluster/Step} service ({@link io.ordo.orderer.cluster.ClusterServer}) that identifies
 * each sender by the public key of its TLS client certificate among the channel's consenters, and
 * the client ({@link io.ordo.orderer.cluster.ClusterClient}) with one stream per remote node,
 * server certificate pinning, bounded send buffers, reconnection with backoff and unreachable
 * reports. The backoff to a node starts over once a stream from that node is accepted: a restarted
 * node reaches its peers at once, and they must not keep it waiting for a delay grown while it was
 * down. {@link io.ordo.orderer.cluster.CommMetrics} holds Fabric's {@code cluster_comm_*} meters.
 */
package io.ordo.orderer.cluster;
