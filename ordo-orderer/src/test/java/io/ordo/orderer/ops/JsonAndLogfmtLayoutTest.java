package io.ordo.orderer.ops;

import static io.ordo.orderer.ops.LogEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** FABRIC_LOGGING_FORMAT=json and =logfmt: Fabric's keys, the fields beside them. */
class JsonAndLogfmtLayoutTest {
  private static final String ETCDRAFT = "io.ordo.orderer.consensus.etcdraft.BlockApplier";

  @Test
  void aJsonLineHasFabricsKeysAndTheFieldsAsKeysOfTheirOwn() throws Exception {
    String line =
        new JsonLogLayout()
            .doLayout(
                event(
                    ETCDRAFT,
                    Level.INFO,
                    "Writing block [5] (Raft index: 7) to ledger",
                    null,
                    "channel",
                    "mychannel",
                    "node",
                    2L));

    assertThat(line)
        .isEqualTo(
            "{\"level\":\"info\",\"ts\":1704110400.123456789,\"name\":\"orderer.consensus.etcdraft\","
                + "\"msg\":\"Writing block [5] (Raft index: 7) to ledger\","
                + "\"channel\":\"mychannel\",\"node\":2}\n");
  }

  @Test
  void aJsonLineWithAThrowableCarriesItsStack() throws Exception {
    String line =
        new JsonLogLayout()
            .doLayout(event(ETCDRAFT, Level.ERROR, "boom", new IllegalStateException("why")));

    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("error");
    assertThat(json.get("stacktrace").asText()).startsWith("java.lang.IllegalStateException: why");
    assertThat(line).endsWith("}\n").doesNotContain("\n{");
  }

  @Test
  void aLogfmtLineHasFabricsKeysInOrder() {
    String line =
        new LogfmtLogLayout()
            .doLayout(
                event(
                    "io.ordo.orderer.multichannel.Registrar",
                    Level.WARN,
                    "resumed at height 3",
                    null,
                    "channel",
                    "mychannel"));

    assertThat(line)
        .isEqualTo(
            "ts=1704110400.123456789 level=warn name=orderer.common.multichannel"
                + " msg=\"resumed at height 3\" channel=mychannel\n");
  }
}
