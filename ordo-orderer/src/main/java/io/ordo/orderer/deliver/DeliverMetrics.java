package io.ordo.orderer.deliver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Fabric's deliver metrics: {@code deliver_streams_opened}, {@code deliver_streams_closed}, {@code
 * deliver_requests_received} and {@code deliver_blocks_sent} (labels {@code channel}, {@code
 * filtered}, {@code data_type}), {@code deliver_requests_completed} (plus {@code success}).
 * Counters, exposed under these very names.
 */
public final class DeliverMetrics {
  private final MeterRegistry registry;
  private final Counter opened;
  private final Counter closed;

  public DeliverMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.opened =
        Counter.builder("deliver_streams_opened")
            .description(
                "The number of GRPC streams that have been opened for the deliver service.")
            .register(registry);
    this.closed =
        Counter.builder("deliver_streams_closed")
            .description(
                "The number of GRPC streams that have been closed for the deliver service.")
            .register(registry);
  }

  void streamOpened() {
    opened.increment();
  }

  void streamClosed() {
    closed.increment();
  }

  void requestReceived(String channel) {
    counter(
            "deliver_requests_received",
            "The number of deliver requests that have been received.",
            channel)
        .register(registry)
        .increment();
  }

  void requestCompleted(String channel, boolean success) {
    counter(
            "deliver_requests_completed",
            "The number of deliver requests that have been completed.",
            channel)
        .tag("success", Boolean.toString(success))
        .register(registry)
        .increment();
  }

  void blockSent(String channel) {
    counter("deliver_blocks_sent", "The number of blocks sent by the deliver service.", channel)
        .register(registry)
        .increment();
  }

  private static Counter.Builder counter(String name, String help, String channel) {
    return Counter.builder(name)
        .description(help)
        .tags("channel", channel, "filtered", "false", "data_type", "block");
  }
}
