package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.storage.ledger.AppendListener;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Fabric's ledger and block cutter meters of one channel. */
class ChannelMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ChannelMetrics metrics = new ChannelMetrics(registry);

  @Test
  void theHeightIsTheOpenedLedgersThenFollowsItsAppends() {
    AppendListener appends = metrics.appends("mychannel");
    metrics.ledgerOpened("mychannel", 7);
    assertThat(height()).isEqualTo(7);

    appends.appended(1, 8, 2_000_000);
    assertThat(height()).isEqualTo(8);
  }

  @Test
  void pulledBlocksWrittenTogetherShareTheirCommitTime() {
    AppendListener appends = metrics.appends("mychannel");
    appends.appended(1, 1, 4_000_000);
    appends.appended(4, 5, 8_000_000);

    Timer commits =
        registry.get("ledger_blockstorage_commit_time").tag("channel", "mychannel").timer();
    assertThat(commits.count()).isEqualTo(5);
    assertThat(commits.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12.0);
    assertThat(commits.max(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
  }

  @Test
  void eachFilledBatchIsTimedUnderItsChannel() {
    metrics.blockFill("mychannel").accept(30_000_000);

    Timer fill =
        registry.get("blockcutter_block_fill_duration").tag("channel", "mychannel").timer();
    assertThat(fill.count()).isEqualTo(1);
    assertThat(fill.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
  }

  @Test
  void theHistogramsAppearWithTheirFirstObservationAsFabricsDo() {
    metrics.appends("mychannel");
    metrics.blockFill("mychannel");

    assertThat(registry.find("ledger_blockstorage_commit_time").timer()).isNull();
    assertThat(registry.find("blockcutter_block_fill_duration").timer())
        .as("a follower cuts no batch")
        .isNull();
  }

  private double height() {
    return registry.get("ledger_blockchain_height").tag("channel", "mychannel").gauge().value();
  }
}
