package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exposition reads line for line as the recorded scrape of Fabric's orderer. */
class FabricExpositionTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  FabricExpositionTest() {
    registry.config().namingConvention(NamingConvention.identity);
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aCounterKeepsFabricsNameWithoutTotal() {
    Counter.builder("deliver_streams_opened")
        .description("The number of GRPC streams that have been opened for the deliver service.")
        .register(registry)
        .increment(3);

    assertThat(FabricExposition.render(registry))
        .isEqualTo(
            """
            # HELP deliver_streams_opened The number of GRPC streams that have been opened for the deliver service.
            # TYPE deliver_streams_opened counter
            deliver_streams_opened 3
            """);
  }

  @Test
  void aTimerIsAHistogramOfSecondsWithLeLastAndNoMaxGauge() {
    Timer t =
        Timer.builder("ledger_blockstorage_commit_time")
            .description("Time taken in seconds for committing the block to storage.")
            .tag("channel", "mychannel")
            .serviceLevelObjectives(FabricBuckets.BLOCKSTORAGE_COMMIT.durations())
            .register(registry);
    t.record(Duration.ofMillis(3));
    t.record(Duration.ofMillis(12));
    t.record(Duration.ofMillis(500));

    assertThat(FabricExposition.render(registry))
        .isEqualTo(
            """
            # HELP ledger_blockstorage_commit_time Time taken in seconds for committing the block to storage.
            # TYPE ledger_blockstorage_commit_time histogram
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.005"} 1
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.01"} 1
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.015"} 2
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.05"} 2
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.1"} 2
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="1"} 3
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="10"} 3
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="+Inf"} 3
            ledger_blockstorage_commit_time_sum{channel="mychannel"} 0.515
            ledger_blockstorage_commit_time_count{channel="mychannel"} 3
            """);
  }

  @Test
  void familiesAreSortedByNameSeriesByLabelValuesAndLabelsByName() {
    registry.counter("b_count", "type", "X", "channel", "zeta").increment();
    registry.counter("b_count", "type", "X", "channel", "alpha").increment(2);
    Gauge.builder("a_gauge", () -> 1.5).register(registry);

    assertThat(FabricExposition.render(registry))
        .isEqualTo(
            """
            # TYPE a_gauge gauge
            a_gauge 1.5
            # TYPE b_count counter
            b_count{channel="alpha",type="X"} 2
            b_count{channel="zeta",type="X"} 1
            """);
  }

  @Test
  void aGaugeMayEndInTotalAsEtcdsWalBytesDoes() {
    Gauge.builder("etcd_disk_wal_write_bytes_total", () -> 10163824)
        .description("Total number of bytes written in WAL.")
        .register(registry);

    assertThat(FabricExposition.render(registry))
        .contains("# TYPE etcd_disk_wal_write_bytes_total gauge\n")
        .contains("etcd_disk_wal_write_bytes_total 1.0163824e+07\n");
  }

  @Test
  void helpAndLabelValuesAreEscaped() {
    Gauge.builder("g", () -> 0)
        .description("a \\ b\nc")
        .tag("host", "say \"hi\"\\\n")
        .register(registry);

    assertThat(FabricExposition.render(registry))
        .isEqualTo(
            """
            # HELP g a \\\\ b\\nc
            # TYPE g gauge
            g{host="say \\"hi\\"\\\\\\n"} 0
            """);
  }
}
