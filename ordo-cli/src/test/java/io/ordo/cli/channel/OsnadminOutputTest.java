package io.ordo.cli.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.admin.ParticipationClient;
import org.junit.jupiter.api.Test;

/**
 * An answer printed as osnadmin v3.0 prints it: {@code Status: N} and a newline, the body through
 * Go's {@code json.Indent} (tabs; the body's trailing newline kept), and {@code fmt.Println}'s
 * newline after it all (added by the caller). Fabric's participation API, as Ordo's, ends each JSON
 * body with a newline, so osnadmin's output has an empty line after the body; the interop suite
 * compares the two tools' output byte for byte.
 */
class OsnadminOutputTest {
  @Test
  void aJsonBodyKeepsItsTrailingNewlineAfterTheIndentedText() {
    assertThat(
            AdminCalls.osnadminOutput(
                false, new ParticipationClient.Response(200, "{\"name\":\"c\",\"height\":1}\n")))
        .isEqualTo("Status: 200\n{\n\t\"name\": \"c\",\n\t\"height\": 1\n}\n");
    assertThat(
            AdminCalls.osnadminOutput(
                false, new ParticipationClient.Response(404, "{\"error\":\"no\"}")))
        .isEqualTo("Status: 404\n{\n\t\"error\": \"no\"\n}");
  }

  @Test
  void anEmptyBodyLeavesTheStatusLineAloneAndNoStatusLeavesTheBodyAlone() {
    assertThat(AdminCalls.osnadminOutput(false, new ParticipationClient.Response(204, "")))
        .isEqualTo("Status: 204\n");
    assertThat(
            AdminCalls.osnadminOutput(true, new ParticipationClient.Response(200, "{\"a\":[]}\n")))
        .isEqualTo("{\n\t\"a\": []\n}\n");
  }
}
