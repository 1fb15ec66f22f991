/**
 * A local network on loopback, one layout for {@code ordo network up} and the test fixtures alike:
 * its configtx.yaml ({@link io.ordo.orderer.localnet.LocalConfigtx}), each node's orderer.yaml
 * ({@link io.ordo.orderer.localnet.LocalOrdererYaml}) and the ports the nodes will listen on
 * ({@link io.ordo.orderer.localnet.LoopbackPorts}).
 */
package io.ordo.orderer.localnet;
