/**
 * The client side of an orderer's AtomicBroadcast service, as a Fabric client uses it: the
 * connection options ({@link io.ordo.cli.client.OrdererOptions} -> {@link
 * io.ordo.cli.client.OrdererTarget}; the TLS client certificate flags, {@link
 * io.ordo.cli.client.ClientCertificateOptions}, are shared with the admin commands), TLS gRPC
 * channels, signed envelopes with Fabric's tx id and TLS binding rules, single Broadcasts and
 * Deliver calls. bench, blocks, channel, config and genesis build on it. Nothing here is specific
 * to Ordo: it drives any Fabric v3 orderer.
 */
package io.ordo.cli.client;
