/**
 * {@code ordo orderer}: running an orderer node of ordo-orderer from the command line; and the
 * client side of an orderer's AtomicBroadcast service, as a Fabric client uses it: the connection
 * options ({@link io.ordo.cli.orderer.OrdererOptions} -> {@link io.ordo.cli.orderer.OrdererTarget};
 * the TLS client certificate flags, {@link io.ordo.cli.orderer.ClientCertificateOptions}, are
 * shared with the admin commands), TLS gRPC channels, signed envelopes with Fabric's tx id and TLS
 * binding rules, and Deliver streams. The client side is not specific to Ordo: it drives any Fabric
 * v3 orderer.
 */
package io.ordo.cli.orderer;
