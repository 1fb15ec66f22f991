/**
 * Integration tests against real orderer processes: {@link io.ordo.orderer.it.ProcessCluster}
 * starts each node as a child JVM on loopback ports with TLS material from ordo-fabric's cryptogen,
 * joins it through the admin API, and stops, kills or restarts it; the tests drive the nodes only
 * through their listeners (client, cluster, admin, operations), as a Fabric client or orderer
 * would. {@link io.ordo.orderer.it.ChannelAdmin} submits config updates as the orderer org's admin,
 * so that consenters can be added and removed and channel settings changed while the nodes run. The
 * fault matrix ({@code *FaultsTest}, tagged {@code faults}, run by {@code -Pfaults}) does one fault
 * after another on such a cluster, each a {@link io.ordo.orderer.it.FaultScenario} audited against
 * what its load was answered; {@link io.ordo.orderer.it.SilentProxy} cuts a node off.
 */
package io.ordo.orderer.it;
