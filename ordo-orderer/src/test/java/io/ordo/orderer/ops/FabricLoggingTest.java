package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.orderer.testing.LogbackDefaults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FABRIC_LOGGING_SPEC and FABRIC_LOGGING_FORMAT set up the JVM's logging as a node starts: lines on
 * standard error, captured here.
 */
class FabricLoggingTest {
  private static final Logger CHAIN =
      LoggerFactory.getLogger("io.ordo.orderer.consensus.etcdraft.BlockApplier");
  private static final Logger REGISTRAR =
      LoggerFactory.getLogger("io.ordo.orderer.multichannel.Registrar");

  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    System.setErr(stderr);
    LogbackDefaults.restore();
  }

  @Test
  void theDefaultIsFabricsConsoleFormatAtInfoWithChannelAndNodeAsFields() {
    configure(Map.of());
    ChannelLog.of(CHAIN, "mychannel", 2)
        .info("Writing block [{}] (Raft index: {}) to ledger", 5, 7);
    CHAIN.debug("not at info");

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst())
        .matches(
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} [A-Z][A-Za-z0-9+-]* [0-9a-f]{4} INFO"
                + " \\[orderer\\.consensus\\.etcdraft] BlockApplier -> Writing block \\[5]"
                + " \\(Raft index: 7\\) to ledger channel=mychannel node=2");
  }

  @Test
  void theSpecSetsLevelsByFabricsLoggerNames() {
    configure(Map.of("FABRIC_LOGGING_SPEC", "warn:orderer.consensus.etcdraft=debug"));
    CHAIN.debug("chain detail");
    REGISTRAR.info("registrar chatter");
    REGISTRAR.warn("registrar warning");

    assertThat(String.join("\n", lines()))
        .contains("DEBU [orderer.consensus.etcdraft] BlockApplier -> chain detail")
        .contains("WARN [orderer.common.multichannel] Registrar -> registrar warning")
        .doesNotContain("registrar chatter");
  }

  @Test
  void jsonWritesOneObjectALineWithTheFieldsAsKeys() throws Exception {
    configure(Map.of("FABRIC_LOGGING_FORMAT", "json"));
    ChannelLog.of(REGISTRAR, "mychannel")
        .warn("resumed at height {}", 3, new IllegalStateException("why"));

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(lines.getFirst());
    assertThat(json.get("level").asText()).isEqualTo("warn");
    assertThat(json.get("name").asText()).isEqualTo("orderer.common.multichannel");
    assertThat(json.get("msg").asText()).isEqualTo("resumed at height 3");
    assertThat(json.get("channel").asText()).isEqualTo("mychannel");
    assertThat(json.get("ts").isNumber()).isTrue();
    assertThat(json.get("stacktrace").asText())
        .as("a throwable after the arguments is the line's, as SLF4J takes it")
        .startsWith("java.lang.IllegalStateException: why");
  }

  private void configure(Map<String, String> env) {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    FabricLogging.configure(env);
  }

  private List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
