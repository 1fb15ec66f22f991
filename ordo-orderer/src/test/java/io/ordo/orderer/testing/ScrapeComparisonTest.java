package io.ordo.orderer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison a side-by-side run of Fabric's and Ordo's orderers relies on. */
class ScrapeComparisonTest {
  private static final String FABRIC =
      """
      # HELP ledger_blockstorage_commit_time Time taken in seconds for committing the block to storage.
      # TYPE ledger_blockstorage_commit_time histogram
      ledger_blockstorage_commit_time_bucket{channel="mychannel",le="0.005"} 1
      ledger_blockstorage_commit_time_bucket{channel="mychannel",le="10"} 3
      ledger_blockstorage_commit_time_bucket{channel="mychannel",le="+Inf"} 3
      ledger_blockstorage_commit_time_sum{channel="mychannel"} 0.5
      ledger_blockstorage_commit_time_count{channel="mychannel"} 3
      # TYPE broadcast_processed_count counter
      broadcast_processed_count{channel="mychannel",status="SUCCESS",type="ENDORSER_TRANSACTION"} 2
      # TYPE go_goroutines gauge
      go_goroutines 51
      # TYPE go_gc_duration_seconds summary
      go_gc_duration_seconds{quantile="0"} 1.9e-05
      go_gc_duration_seconds_sum 0.1
      go_gc_duration_seconds_count 3
      """;

  private final ScrapeComparison comparison =
      new ScrapeComparison(f -> f.name().startsWith("go_"), n -> n.startsWith("jvm_"));

  @Test
  void aScrapeReadsAsItself() {
    Map<String, MetricFamily> fabric = MetricFamilies.fromScrape(FABRIC);

    assertThat(fabric.get("ledger_blockstorage_commit_time").buckets())
        .containsExactly(0.005, 10.0);
    assertThat(fabric.get("broadcast_processed_count").labels())
        .containsExactly("channel", "status", "type");
    assertThat(fabric.get("go_gc_duration_seconds").labels()).isEmpty();
    assertThat(comparison.differences(fabric, fabric)).isEmpty();
  }

  @Test
  void eachDifferenceIsNamed() {
    Map<String, MetricFamily> ordo =
        MetricFamilies.fromScrape(
            """
            # TYPE ledger_blockstorage_commit_time histogram
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="1"} 1
            ledger_blockstorage_commit_time_bucket{channel="mychannel",le="+Inf"} 3
            ledger_blockstorage_commit_time_sum{channel="mychannel"} 0.5
            ledger_blockstorage_commit_time_count{channel="mychannel"} 3
            # TYPE broadcast_processed_count gauge
            broadcast_processed_count{channel="mychannel"} 2
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 30
            # TYPE ordo_extra counter
            ordo_extra 1
            """);

    assertThat(comparison.differences(MetricFamilies.fromScrape(FABRIC), ordo))
        .containsExactlyInAnyOrder(
            "ledger_blockstorage_commit_time: buckets [1.0], Fabric's [0.005, 10.0]",
            "broadcast_processed_count: a gauge, Fabric's is a counter",
            "broadcast_processed_count: labels [channel], Fabric's [channel, status, type]",
            "ordo_extra: Ordo's counter is not Fabric's");
  }

  @Test
  void aRecordedListReadsAsTheScrapeItWasMadeFrom() {
    Map<String, MetricFamily> recorded =
        MetricFamilies.fromRecording(
            List.of(
                "# a note",
                "ledger_blockstorage_commit_time histogram scrape channel 0.005,10",
                "broadcast_processed_count counter scrape channel,status,type -",
                "go_goroutines gauge scrape - -",
                "go_gc_duration_seconds summary scrape - -"));

    assertThat(comparison.differences(recorded, MetricFamilies.fromScrape(FABRIC))).isEmpty();
    assertThat(recorded.get("go_goroutines").source()).isEqualTo("scrape");
  }
}
