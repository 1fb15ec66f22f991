package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One scrape: Fabric's series as Fabric's client writes them, the JVM's beside them. */
class NodeMetricsTest {
  private final NodeMetrics metrics = NodeMetrics.create("3.0.0");

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void fabricsVersionGaugeAndTheProcessCollectorsSeriesAreThere() {
    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("# TYPE fabric_version gauge\nfabric_version{version=\"3.0.0\"} 1\n")
        .contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ")
        .contains("# TYPE process_open_fds gauge\n")
        .contains("# TYPE process_max_fds gauge\n")
        .contains("# TYPE process_resident_memory_bytes gauge\n")
        .contains("# TYPE process_virtual_memory_bytes gauge\n")
        .contains("# TYPE process_virtual_memory_max_bytes gauge\n")
        .contains("# TYPE process_start_time_seconds gauge\n");
    assertThat(PrometheusText.value(scrape, "process_resident_memory_bytes"))
        .as("a JVM holds more than a megabyte")
        .isGreaterThan(1 << 20);
    assertThat(PrometheusText.value(scrape, "process_open_fds")).isPositive();
  }

  @Test
  void theJvmsHeapGcThreadsAndCpuComeUnderMicrometersNames() {
    assertThat(metrics.scrape())
        .contains("jvm_memory_used_bytes{area=\"heap\"")
        .contains("jvm_memory_max_bytes{area=\"heap\"")
        .contains("# TYPE jvm_gc_live_data_size_bytes gauge")
        .contains("jvm_threads_live_threads ")
        .contains("process_cpu_usage ")
        .contains("system_cpu_count ");
    // a pause is told by the JVM's GC notifications, after the collection
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              System.gc();
              assertThat(metrics.scrape()).contains("# TYPE jvm_gc_pause_seconds summary");
            });
  }

  @Test
  void aScrapeIsCountedOnceWrittenAsFabricsHandlerCountsIt() {
    assertThat(metrics.scrape())
        .contains("promhttp_metric_handler_requests_in_flight 1\n")
        .contains("promhttp_metric_handler_requests_total{code=\"200\"} 0\n")
        .contains("promhttp_metric_handler_requests_total{code=\"500\"} 0\n")
        .contains("promhttp_metric_handler_requests_total{code=\"503\"} 0\n");
    assertThat(metrics.scrape())
        .contains("promhttp_metric_handler_requests_total{code=\"200\"} 1\n");
  }

  @Test
  void everyFamilyIsWrittenOnce() {
    String scrape = metrics.scrape();

    assertThat(scrape.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]))
        .doesNotHaveDuplicates();
  }
}
