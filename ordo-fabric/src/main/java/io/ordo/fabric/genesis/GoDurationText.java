package io.ordo.fabric.genesis;

import java.math.BigDecimal;
import java.time.Duration;

/** Go's time.Duration.String(), which configtxgen writes for BatchTimeout ("2s", "1m0s"). */
final class GoDurationText {
  private GoDurationText() {}

  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    String sign = d.isNegative() ? "-" : "";
    long nanos = Math.abs(d.toNanos());
    if (nanos < 1_000_000_000L) {
      if (nanos < 1_000L) {
        return sign + nanos + "ns";
      }
      if (nanos < 1_000_000L) {
        return sign + decimal(nanos, 3) + "µs";
      }
      return sign + decimal(nanos, 6) + "ms";
    }
    long hours = nanos / 3_600_000_000_000L;
    long minutes = nanos / 60_000_000_000L % 60;
    String seconds = decimal(nanos % 60_000_000_000L, 9) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    if (minutes > 0) {
      return sign + minutes + "m" + seconds;
    }
    return sign + seconds;
  }

  private static String decimal(long value, int scale) {
    BigDecimal v = BigDecimal.valueOf(value, scale).stripTrailingZeros();
    return v.scale() <= 0 ? v.toBigInteger().toString() : v.toPlainString();
  }
}
