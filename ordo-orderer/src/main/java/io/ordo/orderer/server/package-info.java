/**
 * One orderer process: {@link io.ordo.orderer.server.OrdererServer} wires the local config into
 * listeners (general gRPC with AtomicBroadcast and, when shared, the cluster service; the separate
 * cluster listener; admin; operations), the cluster client and trust roots, the etcdraft consenter
 * and the registrar of channels, and stops them in order; {@link
 * io.ordo.orderer.server.OrdererMain} is the command line entry point.
 */
package io.ordo.orderer.server;
