package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numbers as they appear in the recorded scrape of Fabric's orderer (Go's shortest 'g'). */
class GoFloatTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "-1, -1",
    "0.005, 0.005",
    "2.5, 2.5",
    "10, 10",
    "2200, 2200",
    "20000, 20000",
    "100000, 100000",
    "1000000, 1e+06",
    "96649216, 9.6649216e+07",
    "1796665390.21, 1.79666539021e+09",
    "0.000598411, 0.000598411",
    "0.000019349, 1.9349e-05",
    "3.0652058559999995, 3.0652058559999995",
    "18446744073709551616, 1.8446744073709552e+19",
    "1e100, 1e+100",
    "-0.25, -0.25",
    "Infinity, +Inf",
    "-Infinity, -Inf",
    "NaN, NaN"
  })
  void formatsAsGoDoes(double value, String go) {
    assertThat(GoFloat.format(value)).isEqualTo(go);
  }

  @ParameterizedTest
  @CsvSource({
    "0.1",
    "0.30000000000000004",
    "123.456",
    "7.0E-10",
    "4.9E-324",
    "1.7976931348623157E308"
  })
  void readsBackAsTheSameDouble(double value) {
    assertThat(Double.parseDouble(GoFloat.format(value))).isEqualTo(value);
  }
}
