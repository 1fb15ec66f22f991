/**
 * The interop suite: Ordo beside Fabric v3.0's own binaries, each a real process on loopback with
 * TLS. {@link io.ordo.interop.Stage} gives a test its folders, ports, tools and processes; {@link
 * io.ordo.interop.Network} makes crypto material, a configtx.yaml and a genesis block with either
 * implementation's tools and starts orderers of either kind from the same variables ({@link
 * io.ordo.interop.OrdererEnvironment}); {@link io.ordo.interop.PeerNode} is Fabric's peer. Each
 * {@code *Test} class is one scenario of the suite.
 */
package io.ordo.interop;
