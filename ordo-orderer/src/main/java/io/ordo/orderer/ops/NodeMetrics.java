package io.ordo.orderer.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics of one node and their scrape, the one place that decides how /metrics reads.
 *
 * <p>{@link #registry()} holds what Fabric's orderer exposes, each meter registered under Fabric's
 * exact name and labels, and is written as Fabric's Go client writes it ({@link FabricExposition}):
 * that registry is a Prometheus one for its cumulative, never-expiring histograms, but its own
 * writer is never used (it would add {@code _total} and {@code _max}, and refuses names such as
 * Fabric's {@code etcd_disk_wal_write_bytes_total} gauge). Beside it, the JVM's series from
 * Micrometer's binders (heap and other memory pools, GC pauses, threads, classes, CPU) are written
 * by Micrometer's own Prometheus writer, under the names JVM dashboards know ({@code
 * jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, ...): Fabric has none of them, its runtime
 * being Go's ({@code go_*}, which a JVM cannot give).
 */
public final class NodeMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry fabric;
  private final PrometheusMeterRegistry jvm;
  private final JvmGcMetrics gc;
  private final AtomicInteger scrapesInFlight = new AtomicInteger();
  private final Map<Integer, Counter> scrapes;

  private NodeMetrics(String fabricVersion) {
    fabric = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    fabric.config().namingConvention(NamingConvention.identity);
    jvm = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    gc = new JvmGcMetrics();
    gc.bindTo(jvm);
    new JvmMemoryMetrics().bindTo(jvm);
    new JvmThreadMetrics().bindTo(jvm);
    new ClassLoaderMetrics().bindTo(jvm);
    new ProcessorMetrics().bindTo(jvm);
    new JvmInfoMetrics().bindTo(jvm);
    ProcessMetrics.bindTo(fabric);
    Gauge.builder("fabric_version", () -> 1)
        .description("The active version of Fabric.")
        .tag("version", fabricVersion)
        .register(fabric);
    Gauge.builder("promhttp_metric_handler_requests_in_flight", scrapesInFlight::get)
        .description("Current number of scrapes being served.")
        .register(fabric);
    scrapes = Map.of(200, scrapes(200), 500, scrapes(500), 503, scrapes(503));
  }

  /**
   * @param fabricVersion the Fabric release whose behaviour the node reproduces, Fabric's {@code
   *     fabric_version{version}}
   */
  public static NodeMetrics create(String fabricVersion) {
    return new NodeMetrics(fabricVersion);
  }

  /** Where the node's parts register Fabric's meters, under Fabric's names. */
  public MeterRegistry registry() {
    return fabric;
  }

  /**
   * The Prometheus text of every series: Fabric's, then the JVM's. As Fabric's handler does, a
   * scrape is counted once it is written, by status code.
   */
  public String scrape() {
    scrapesInFlight.incrementAndGet();
    try {
      String text = FabricExposition.render(fabric) + jvm.scrape();
      scrapes.get(200).increment();
      return text;
    } catch (RuntimeException e) {
      scrapes.get(500).increment();
      throw e;
    } finally {
      scrapesInFlight.decrementAndGet();
    }
  }

  private Counter scrapes(int code) {
    return Counter.builder("promhttp_metric_handler_requests_total")
        .description("Total number of scrapes by HTTP status code.")
        .tag("code", Integer.toString(code))
        .register(fabric);
  }

  @Override
  public void close() {
    gc.close();
    jvm.close();
    fabric.close();
  }
}
