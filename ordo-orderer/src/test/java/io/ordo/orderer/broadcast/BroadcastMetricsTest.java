package io.ordo.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broadcast's durations land in the bucket of their value, not all in the 1 s bucket. */
class BroadcastMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BroadcastMetrics metrics = new BroadcastMetrics(registry);

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aThreeMillisecondValidationIsCountedUnderFiveMilliseconds() {
    BroadcastMetrics.StreamRecorder recorder = metrics.forStream();
    recorder.record(refused(), "BAD_REQUEST", Duration.ofMillis(3), null);
    recorder.record(refused(), "BAD_REQUEST", Duration.ofMillis(40), null);

    Map<Double, Double> buckets = cumulativeBuckets("broadcast_validate_duration");
    assertThat(buckets.get(0.005)).isEqualTo(1.0);
    assertThat(buckets.get(0.025)).isEqualTo(1.0);
    assertThat(buckets.get(0.05)).isEqualTo(2.0);
    assertThat(buckets.get(1.0)).isEqualTo(2.0);
    Timer timer = registry.get("broadcast_validate_duration").timer();
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(43.0);
  }

  @Test
  void enqueueDurationsAreBucketedByTheirValueToo() {
    BroadcastMetrics.StreamRecorder recorder = metrics.forStream();
    recorder.record(refused(), "SUCCESS", Duration.ofMillis(1), Duration.ofMillis(7));

    Map<Double, Double> buckets = cumulativeBuckets("broadcast_enqueue_duration");
    assertThat(buckets.get(0.005)).isZero();
    assertThat(buckets.get(0.01)).isEqualTo(1.0);
  }

  private Map<Double, Double> cumulativeBuckets(String name) {
    CountAtBucket[] counts = registry.get(name).timer().takeSnapshot().histogramCounts();
    return Arrays.stream(counts)
        .collect(Collectors.toMap(c -> c.bucket(TimeUnit.SECONDS), CountAtBucket::count));
  }

  private static Validated refused() {
    return new Validated.Refused(Status.BAD_REQUEST, "test", "mychannel", "ENDORSER_TRANSACTION");
  }
}
