package io.ordo.orderer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.ops.NodeMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the cluster_comm meters appear in the Prometheus exposition. */
class CommMetricsTest {
  private final NodeMetrics registry = NodeMetrics.create("3.0.0");
  private final CommMetrics metrics = new CommMetrics(registry.registry());

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aDroppedConsensusMessageCountsPerHostAndChannelUnderFabricsName() {
    metrics.dropped("10.0.0.1:7050", "ch1");
    metrics.dropped("10.0.0.1:7050", "ch1");
    metrics.dropped("10.0.0.2:7050", "ch1");

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("# TYPE cluster_comm_msg_dropped_count counter\n")
        .contains("cluster_comm_msg_dropped_count{channel=\"ch1\",host=\"10.0.0.1:7050\"} 2\n")
        .contains("cluster_comm_msg_dropped_count{channel=\"ch1\",host=\"10.0.0.2:7050\"} 1\n");
  }

  @Test
  void sendTimeIsAHistogramOfSecondsUnderFabricsName() {
    metrics.sent("10.0.0.1:7050", "ch1", 30_000_000); // 30 ms

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("# TYPE cluster_comm_msg_send_time histogram")
        .contains(
            "cluster_comm_msg_send_time_bucket{channel=\"ch1\",host=\"10.0.0.1:7050\",le=\"0.025\"} 0")
        .contains(
            "cluster_comm_msg_send_time_bucket{channel=\"ch1\",host=\"10.0.0.1:7050\",le=\"0.05\"} 1")
        .contains("cluster_comm_msg_send_time_count{channel=\"ch1\",host=\"10.0.0.1:7050\"} 1")
        .contains("cluster_comm_msg_send_time_sum{channel=\"ch1\",host=\"10.0.0.1:7050\"} 0.03");
  }

  @Test
  void queueLengthFollowsQueuedAndDequeuedPerChannelAndCapacityIsTheBuffers() {
    metrics.queued("h:1", CommMetrics.CONSENSUS, "ch1", 100);
    metrics.queued("h:1", CommMetrics.CONSENSUS, "ch1", 100);
    metrics.queued("h:1", CommMetrics.CONSENSUS, "ch2", 100);
    metrics.dequeued("h:1", CommMetrics.CONSENSUS, "ch1");

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "cluster_comm_egress_queue_length{channel=\"ch1\",host=\"h:1\",msg_type=\"consensus\"} 1")
        .contains(
            "cluster_comm_egress_queue_length{channel=\"ch2\",host=\"h:1\",msg_type=\"consensus\"} 1")
        .contains(
            "cluster_comm_egress_queue_capacity{channel=\"ch1\",host=\"h:1\",msg_type=\"consensus\"} 100");
  }

  @Test
  void ingressStreamCountHasNoLabelsAndFollowsOpenedAndClosed() {
    metrics.ingressOpened();
    metrics.ingressOpened();
    metrics.ingressClosed();

    assertThat(registry.scrape()).contains("cluster_comm_ingress_stream_count 1");
  }
}
