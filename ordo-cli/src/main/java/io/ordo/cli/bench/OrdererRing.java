package io.ordo.cli.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.ordo.cli.client.GrpcChannels;
import io.ordo.cli.client.OrdererEndpoint;
import java.util.List;

/**
 * The orderers of a run in the order given, taken in turn by a stream whose orderer failed, and the
 * wait before each attempt: none for the first after a break (another orderer is likely up), then
 * doubling from 25 ms to at most a second, so that a stream finds an orderer that comes back soon
 * after it does and costs little while none is up.
 */
final class OrdererRing {
  static final long FIRST_RETRY_MILLIS = 25;
  static final long MAX_RETRY_MILLIS = 1_000;

  private final List<OrdererEndpoint> endpoints;
  private final SslContext tls;

  OrdererRing(List<OrdererEndpoint> endpoints, SslContext tls) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no orderer");
    }
    this.endpoints = List.copyOf(endpoints);
    this.tls = tls;
  }

  /** The orderer at turn {@code turn}, counting round the ring. */
  OrdererEndpoint at(int turn) {
    return endpoints.get(Math.floorMod(turn, endpoints.size()));
  }

  /** A new connection to {@code endpoint} (see {@link GrpcChannels#openDirect}). */
  ManagedChannel open(OrdererEndpoint endpoint) {
    return GrpcChannels.openDirect(endpoint, tls);
  }

  /** How long to wait before attempt {@code attempt} (1 = the first after a break) to connect. */
  static long retryDelayMillis(int attempt) {
    if (attempt <= 1) {
      return 0;
    }
    return Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 2, 20));
  }
}
