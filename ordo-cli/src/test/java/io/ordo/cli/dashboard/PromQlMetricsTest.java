package io.ordo.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricsTest {
  @Test
  void findsTheMetricsAndNotFunctionsLabelsOrVariables() {
    assertThat(
            PromQlMetrics.of(
                "histogram_quantile(0.99, sum by (le, channel) (rate(broadcast_enqueue_duration_bucket"
                    + "{channel=~\"$channel\", status=\"SUCCESS\"}[$__rate_interval])))"))
        .containsExactly("broadcast_enqueue_duration_bucket");
    assertThat(PromQlMetrics.of("process_resident_memory_bytes{instance=~\"$instance\"} / up"))
        .containsExactly("process_resident_memory_bytes", "up");
    assertThat(
            PromQlMetrics.ofVariableQuery(
                "label_values(consensus_etcdraft_cluster_size{instance=~\"$instance\"}, channel)"))
        .containsExactly("consensus_etcdraft_cluster_size");
  }
}
