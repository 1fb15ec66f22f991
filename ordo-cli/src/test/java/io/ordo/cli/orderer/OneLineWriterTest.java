package io.ordo.cli.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineWriterTest {
  @Test
  void aYamlParserMessageLosesItsExcerptAndKeepsItsLinesAndColumns() {
    String snake =
        """
        orderer: cannot start: /x/orderer.yaml: not valid YAML: while parsing a flow sequence
         in 'reader', line 3, column 15:
              ListenPort: [7050
                          ^
        expected ',' or ']', but got <stream end>
         in 'reader', line 4, column 1:
            \s
            ^
        """;

    assertThat(OneLineWriter.oneLine(snake))
        .isEqualTo(
            "orderer: cannot start: /x/orderer.yaml: not valid YAML: while parsing a flow sequence"
                + " at line 3, column 15: expected ',' or ']', but got <stream end> at line 4,"
                + " column 1");
  }

  @Test
  void aOneLineMessageIsKeptAsItIs() {
    assertThat(OneLineWriter.oneLine("orderer: cannot start: port 7050 in use"))
        .isEqualTo("orderer: cannot start: port 7050 in use");
  }
}
