package io.ordo.orderer.ops;

import static io.ordo.orderer.ops.LogEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Fabric's console format, line for line as its orderer prints it (colours aside). */
class ConsoleLogLayoutTest {
  private static final String ETCDRAFT = "io.ordo.orderer.consensus.etcdraft.BlockApplier";

  @Test
  void theDefaultFormatIsFabricsWithTheFieldsAfterTheMessage() {
    ConsoleLogLayout layout =
        ConsoleLogLayout.parse(ConsoleLogLayout.DEFAULT_FORMAT, ZoneOffset.UTC);

    String first =
        layout.doLayout(
            event(
                ETCDRAFT,
                Level.INFO,
                "Writing block [5] (Raft index: 7) to ledger",
                null,
                "channel",
                "mychannel",
                "node",
                2L));
    String second =
        layout.doLayout(event("io.ordo.orderer.multichannel.Registrar", Level.WARN, "x", null));

    assertThat(first)
        .isEqualTo(
            "2024-01-01 12:00:00.123 UTC 0001 INFO [orderer.consensus.etcdraft] BlockApplier ->"
                + " Writing block [5] (Raft index: 7) to ledger channel=mychannel node=2\n");
    assertThat(second)
        .isEqualTo(
            "2024-01-01 12:00:00.123 UTC 0002 WARN [orderer.common.multichannel] Registrar -> x\n");
  }

  @Test
  void levelsAreCutToFourLettersAsFabricsDirectiveDoes() {
    ConsoleLogLayout layout = ConsoleLogLayout.parse("%{level:.4s}|%{level}", ZoneOffset.UTC);

    assertThat(layout.doLayout(event(ETCDRAFT, Level.ERROR, "m", null))).isEqualTo("ERRO|ERROR\n");
    assertThat(layout.doLayout(event(ETCDRAFT, Level.DEBUG, "m", null))).isEqualTo("DEBU|DEBUG\n");
  }

  @Test
  void aCustomFormatTakesFabricsVerbsAndGoDirectivesAndLeavesOtherTextAlone() {
    ConsoleLogLayout layout =
        ConsoleLogLayout.parse(
            "%{time:2006-01-02T15:04:05.000Z07:00} %{id:d} %{level} %{foo} [%{module:-12s}]"
                + " %{shortfunc}: %{message}",
            ZoneId.of("Europe/Paris"));

    assertThat(layout.doLayout(event("io.ordo.raft.RawNode", Level.INFO, "hello", null)))
        .isEqualTo("2024-01-01T13:00:00.123+01:00 1 INFO %{foo} [raft        ] RawNode: hello\n");
  }

  @Test
  void valuesThatNeedItAreQuotedAsLogfmtQuotesThem() {
    ConsoleLogLayout layout = ConsoleLogLayout.parse("%{message}", ZoneOffset.UTC);

    assertThat(
            layout.doLayout(
                event(ETCDRAFT, Level.INFO, "m", null, "reason", "disk full", "empty", "")))
        .isEqualTo("m reason=\"disk full\" empty=\"\"\n");
  }

  @Test
  void aThrowablesStackFollowsTheLine() {
    ConsoleLogLayout layout = ConsoleLogLayout.parse("%{message}", ZoneOffset.UTC);

    String out =
        layout.doLayout(event(ETCDRAFT, Level.ERROR, "boom", new IllegalStateException("why")));
    assertThat(out).startsWith("boom\njava.lang.IllegalStateException: why\n\tat ");
  }

  @Test
  void aColourOptionFabricDoesNotKnowIsRefusedAndColoursAreNotWritten() {
    assertThatThrownBy(() -> ConsoleLogLayout.parse("%{color:blink}"))
        .hasMessage("invalid color option: blink");
    assertThat(
            ConsoleLogLayout.parse("%{color}%{message}%{color:reset}", ZoneOffset.UTC)
                .doLayout(event(ETCDRAFT, Level.INFO, "plain", null)))
        .isEqualTo("plain\n");
  }
}
