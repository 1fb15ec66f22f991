package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

/** FABRIC_LOGGING_SPEC as Fabric reads it, applied to Ordo's loggers under Fabric's names. */
class LogSpecTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void aLoggerTakesTheLevelOfItsLongestNamedAncestor() {
    LogSpec spec = LogSpec.parse("warn:orderer.common=debug:orderer.common.cluster.puller=error");

    assertThat(spec.levelOf("orderer.common.multichannel")).isEqualTo(Level.DEBUG);
    assertThat(spec.levelOf("orderer.common.cluster.puller")).isEqualTo(Level.ERROR);
    assertThat(spec.levelOf("orderer.consensus.etcdraft")).isEqualTo(Level.WARN);
    assertThat(spec.minimum()).isEqualTo(Level.DEBUG);
  }

  @Test
  void aNameEndingInADotIsThatLoggerOnly() {
    LogSpec spec = LogSpec.parse("info:orderer.common.cluster.=debug");

    assertThat(spec.levelOf("orderer.common.cluster")).isEqualTo(Level.DEBUG);
    assertThat(spec.levelOf("orderer.common.cluster.puller")).isEqualTo(Level.INFO);
  }

  @Test
  void fabricsNamesReachOrdosPackages() {
    LogSpec.parse("orderer.common.cluster=debug:blkstorage=error:info").applyTo(context, null);

    assertThat(level("io.ordo.orderer.cluster.ClusterClient")).isEqualTo(Level.DEBUG);
    assertThat(level("io.ordo.orderer.replication.BlockPuller")).isEqualTo(Level.DEBUG);
    assertThat(level("io.ordo.storage.ledger.BlockLedger")).isEqualTo(Level.ERROR);
    assertThat(level("io.ordo.orderer.multichannel.Registrar")).isEqualTo(Level.INFO);
  }

  @Test
  void ordosOwnPackageNamesWorkToo() {
    LogSpec.parse("warn:orderer.multichannel=debug:raft=debug").applyTo(context, null);

    assertThat(level("io.ordo.orderer.multichannel.Registrar")).isEqualTo(Level.DEBUG);
    assertThat(level("io.ordo.raft.RawNode")).isEqualTo(Level.DEBUG);
    assertThat(level("io.ordo.orderer.broadcast.BroadcastHandler")).isEqualTo(Level.WARN);
  }

  @Test
  void aNewSpecReplacesTheOldOneEntirely() {
    LogSpec first = LogSpec.parse("raft=debug:info");
    first.applyTo(context, null);
    LogSpec.parse("error").applyTo(context, first);

    assertThat(level("io.ordo.raft.RawNode")).isEqualTo(Level.ERROR);
    assertThat(level("io.ordo.orderer.consensus.etcdraft.Node")).isEqualTo(Level.ERROR);
  }

  @Test
  void fabricsLevelNamesAreAcceptedInEitherCase() {
    assertThat(LogSpec.parse("PAYLOAD").defaultLevel()).isEqualTo(Level.TRACE);
    assertThat(LogSpec.parse("WARNING").defaultLevel()).isEqualTo(Level.WARN);
    assertThat(LogSpec.parse("critical").defaultLevel()).isEqualTo(Level.ERROR);
    assertThat(LogSpec.parse("").defaultLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void badSpecsAreRefusedInFabricsWords() {
    assertThatThrownBy(() -> LogSpec.parse("chatty"))
        .hasMessage("invalid logging specification 'chatty': bad segment 'chatty'");
    assertThatThrownBy(() -> LogSpec.parse("bad=spec=x"))
        .hasMessage("invalid logging specification 'bad=spec=x': bad segment 'bad=spec=x'");
    assertThatThrownBy(() -> LogSpec.parse("=debug"))
        .hasMessage(
            "invalid logging specification '=debug': no logger specified in segment '=debug'");
    assertThatThrownBy(() -> LogSpec.parse("a..b=debug"))
        .hasMessage("invalid logging specification 'a..b=debug': bad logger name 'a..b'");
  }

  private Level level(String logger) {
    return context.getLogger(logger).getEffectiveLevel();
  }
}
