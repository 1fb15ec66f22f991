package io.ordo.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonIndentTest {
  @Test
  void membersAreOnePerLineIndentedWithTabsAsGoIndentsThem() {
    String body =
        "{\"systemChannel\":null,\"channels\":[{\"name\":\"mychannel\","
            + "\"url\":\"/participation/v1/channels/mychannel\"}]}\n";

    assertThat(JsonIndent.indent(body))
        .isEqualTo(
            """
            {
            \t"systemChannel": null,
            \t"channels": [
            \t\t{
            \t\t\t"name": "mychannel",
            \t\t\t"url": "/participation/v1/channels/mychannel"
            \t\t}
            \t]
            }""");
  }

  @Test
  void numbersKeepTheirFormEmptyContainersStayOnOneLineAndTextIsEscaped() {
    assertThat(JsonIndent.indent("{\"height\":5,\"a\":[],\"o\":{},\"e\":\"say \\\"no\\\"\"}"))
        .isEqualTo(
            "{\n\t\"height\": 5,\n\t\"a\": [],\n\t\"o\": {},\n\t\"e\": \"say \\\"no\\\"\"\n}");
  }

  @Test
  void aBodyThatIsNotJsonComesBackAsItIs() {
    assertThat(JsonIndent.indent("404 page not found\n")).isEqualTo("404 page not found");
  }
}
