/**
 * Integration tests against real orderer processes: {@link io.ordo.orderer.it.ProcessCluster}
 * starts each node as a child JVM on loopback ports with TLS material from ordo-fabric's cryptogen,
 * joins it through the admin API, and stops, kills or restarts it; the tests drive the nodes only
 * through their listeners (client, cluster, admin, operations), as a Fabric client or orderer
 * would. {@link io.ordo.orderer.it.ChannelAdmin} submits config updates as the orderer org's admin,
 * so that consenters can be added and removed and channel settings changed while the nodes run.
 */
package io.ordo.orderer.it;
