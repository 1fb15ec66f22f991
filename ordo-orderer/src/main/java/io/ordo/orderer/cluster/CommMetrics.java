package io.ordo.orderer.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.orderer.ops.FabricBuckets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Fabric's {@code cluster_comm_*} meters of this node, with Fabric's labels: {@code host} is the
 * remote's endpoint, {@code msg_type} is {@code consensus} or {@code transaction} (a forwarded
 * submit). Ordo's send buffer is per remote node and message type, shared by the channels; the
 * queue length is counted per channel within it, and the capacity is the shared buffer's.
 */
public final class CommMetrics {
  /** Message types as Fabric labels them. */
  static final String CONSENSUS = "consensus";

  static final String TRANSACTION = "transaction";

  private record Queue(String host, String msgType, String channel) {}

  private record Destination(String host, String channel) {}

  private final MeterRegistry registry;
  private final Map<Queue, AtomicInteger> queued = new ConcurrentHashMap<>();
  private final Map<Destination, Timer> sendTimes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> egressChannels = new ConcurrentHashMap<>();
  private final AtomicInteger ingressStreams = new AtomicInteger();
  private volatile ToIntFunction<String> egressStreamsOf = channel -> 0;

  public CommMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("cluster_comm_ingress_stream_count", ingressStreams, AtomicInteger::get)
        .description("Count of streams from other nodes.")
        .register(registry);
  }

  /** Meters nobody reads, for a client or server made without a registry (unit tests). */
  public static CommMetrics discarding() {
    return new CommMetrics(new SimpleMeterRegistry());
  }

  /**
   * The cluster client's counts: streams open to the consenters of a channel, and TLS connections
   * established to other nodes.
   */
  void watchEgress(ToIntFunction<String> streamsOfChannel, IntSupplier tlsConnections) {
    this.egressStreamsOf = streamsOfChannel;
    Gauge.builder("cluster_comm_egress_tls_connection_count", tlsConnections::getAsInt)
        .description("Count of TLS connections to other nodes.")
        .register(registry);
  }

  /** A message for {@code channel} entered the buffer of {@code capacity} to {@code host}. */
  void queued(String host, String msgType, String channel, int capacity) {
    queueLength(host, msgType, channel, capacity).incrementAndGet();
    egressChannels.computeIfAbsent(channel, this::registerEgressStreams);
  }

  /** A message queued with {@link #queued} left the buffer (sent, dropped or abandoned). */
  void dequeued(String host, String msgType, String channel) {
    AtomicInteger length = queued.get(new Queue(host, msgType, channel));
    if (length != null) {
      length.decrementAndGet();
    }
  }

  /** Writing one message to {@code host}'s stream took {@code nanos}. */
  void sent(String host, String channel, long nanos) {
    // cached: this runs for every message sent
    sendTimes
        .computeIfAbsent(
            new Destination(host, channel),
            d ->
                Timer.builder("cluster_comm_msg_send_time")
                    .description("The time it takes to send a message in seconds.")
                    .tags("host", host, "channel", channel)
                    .serviceLevelObjectives(FabricBuckets.DEFAULT.durations())
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A consensus message to {@code host} was dropped: its buffer was full. */
  void dropped(String host, String channel) {
    Counter.builder("cluster_comm_msg_dropped_count")
        .description("Count of messages dropped.")
        .tags("host", host, "channel", channel)
        .register(registry)
        .increment();
  }

  void ingressOpened() {
    ingressStreams.incrementAndGet();
  }

  void ingressClosed() {
    ingressStreams.decrementAndGet();
  }

  private AtomicInteger queueLength(String host, String msgType, String channel, int capacity) {
    return queued.computeIfAbsent(
        new Queue(host, msgType, channel),
        q -> {
          Tags tags = Tags.of("host", host, "msg_type", msgType, "channel", channel);
          AtomicInteger length = new AtomicInteger();
          Gauge.builder("cluster_comm_egress_queue_length", length, AtomicInteger::get)
              .description("Length of the egress queue.")
              .tags(tags)
              .register(registry);
          Gauge.builder("cluster_comm_egress_queue_capacity", () -> capacity)
              .description("Capacity of the egress queue.")
              .tags(tags)
              .register(registry);
          return length;
        });
  }

  /**
   * Fabric counts a worker per stream it serves; Ordo has one sender thread per stream, so {@code
   * cluster_comm_egress_queue_workers} reads the channel's streams too.
   */
  private Boolean registerEgressStreams(String channel) {
    Gauge.builder("cluster_comm_egress_stream_count", () -> egressStreamsOf.applyAsInt(channel))
        .description("Count of streams to other nodes.")
        .tag("channel", channel)
        .register(registry);
    Gauge.builder("cluster_comm_egress_queue_workers", () -> egressStreamsOf.applyAsInt(channel))
        .description("Count of egress queue workers.")
        .tag("channel", channel)
        .register(registry);
    return Boolean.TRUE;
  }
}
