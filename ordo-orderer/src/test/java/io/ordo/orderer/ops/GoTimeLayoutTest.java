package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go time layouts of FABRIC_LOGGING_FORMAT's %{time:...}. */
class GoTimeLayoutTest {
  private static final Instant T = Instant.parse("2024-03-09T07:05:04.120Z");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2006-01-02 15:04:05.000 MST|2024-03-09 07:05:04.120 UTC",
        "2006-01-02T15:04:05.999Z07:00|2024-03-09T07:05:04.120Z",
        "Jan _2 15:04:05|Mar  9 07:05:04",
        "Mon Jan 2 3:04PM 2006|Sat Mar 9 7:05AM 2024",
        "02/01/06 15h04|09/03/24 07h05"
      })
  void formatsAsGoWould(String layout, String expected) {
    assertThat(GoTimeLayout.formatter(layout, ZoneOffset.UTC).format(T)).isEqualTo(expected);
  }
}
