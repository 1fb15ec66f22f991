package io.ordo.orderer.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordo.orderer.ops.FabricBuckets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fabric's broadcast metrics, labelled {@code channel}, {@code type}, {@code status}: {@code
 * broadcast_validate_duration} and {@code broadcast_enqueue_duration} (histograms in seconds with
 * Prometheus' default buckets, as Fabric's) and {@code broadcast_processed_count} (a counter).
 *
 * <p>The durations are Micrometer timers, which keep nanoseconds: a distribution summary's
 * histogram rounds each value up to a whole number before it finds the bucket, so every sub-second
 * duration in seconds would land in the 1 s bucket.
 */
public final class BroadcastMetrics {
  private final MeterRegistry registry;
  private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();

  /** Only refused envelopes have no enqueue time: their label sets get no enqueue histogram. */
  private final Map<Labels, Timer> enqueueDurations = new ConcurrentHashMap<>();

  public BroadcastMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Ordo's own {@code broadcast_validation_rejected}: envelopes answered SERVICE_UNAVAILABLE
   * because the validation queue was full.
   */
  void validationRejected() {
    Counter.builder("broadcast_validation_rejected")
        .description("Envelopes refused because the validation queue was full.")
        .register(registry)
        .increment();
  }

  /** A recorder for one stream, whose answers nearly always repeat one label set. */
  StreamRecorder forStream() {
    return new StreamRecorder();
  }

  /**
   * Records one stream's answers, keeping the meters of the last label set at hand instead of
   * looking them up for every envelope. Not thread-safe: one stream answers on one thread at a
   * time.
   */
  final class StreamRecorder {
    private Labels last;
    private Meters lastMeters;
    private Timer lastEnqueue;

    void record(Validated v, String status, Duration validate, Duration enqueue) {
      if (last == null || !last.is(v.channel(), v.type(), status)) {
        last = new Labels(v.channel(), v.type(), status);
        lastMeters = meters(last);
        lastEnqueue = null;
      }
      if (enqueue != null && lastEnqueue == null) {
        lastEnqueue = enqueueDuration(last);
      }
      BroadcastMetrics.record(lastMeters, lastEnqueue, validate, enqueue);
    }
  }

  private static void record(Meters m, Timer enqueueTimer, Duration validate, Duration enqueue) {
    m.validate().record(validate);
    if (enqueue != null) {
      enqueueTimer.record(enqueue);
    }
    m.processed().increment();
  }

  private Meters meters(Labels labels) {
    return meters.computeIfAbsent(labels, this::newMeters);
  }

  private Timer enqueueDuration(Labels labels) {
    return enqueueDurations.computeIfAbsent(
        labels,
        l ->
            timer(
                "broadcast_enqueue_duration", "The time to enqueue a transaction in seconds.", l));
  }

  /** The labels of one envelope's meters. */
  private record Labels(String channel, String type, String status) {
    boolean is(String otherChannel, String otherType, String otherStatus) {
      return channel.equals(otherChannel) && type.equals(otherType) && status.equals(otherStatus);
    }
  }

  /** The meters of one label set, looked up once instead of for every envelope. */
  private record Meters(Timer validate, Counter processed) {}

  private Meters newMeters(Labels l) {
    return new Meters(
        timer("broadcast_validate_duration", "The time to validate a transaction in seconds.", l),
        Counter.builder("broadcast_processed_count")
            .description("The number of transactions processed.")
            .tags("channel", l.channel(), "type", l.type(), "status", l.status())
            .register(registry));
  }

  private Timer timer(String name, String help, Labels l) {
    return Timer.builder(name)
        .description(help)
        .tags("channel", l.channel(), "type", l.type(), "status", l.status())
        .serviceLevelObjectives(FabricBuckets.DEFAULT.durations())
        .register(registry);
  }
}
