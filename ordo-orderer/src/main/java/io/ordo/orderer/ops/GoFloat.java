package io.ordo.orderer.ops;

import java.math.BigDecimal;

/**
 * Numbers as Fabric's Prometheus client writes them (Go's {@code strconv.FormatFloat(v, 'g', -1,
 * 64)}): the shortest digits that read back as the same double, in plain notation when the decimal
 * exponent is from -4 to 5, else like {@code 1.5e+06}; {@code +Inf}, {@code -Inf}, {@code NaN}. A
 * bucket bound is {@code le="1"}, not Java's {@code le="1.0"}, so that a query or a dashboard that
 * names a bucket finds it in both.
 */
final class GoFloat {
  /** Go's 'g' verb with the shortest precision writes an exponent from 10^6 on. */
  private static final int PLAIN_EXPONENT_LIMIT = 6;

  private GoFloat() {}

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v) < 0 ? "-0" : "0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int pointAt = digits.length() - shortest.scale(); // value = 0.digits * 10^pointAt
    int exponent = pointAt - 1;
    String sign = v < 0 ? "-" : "";
    if (exponent < -4 || exponent >= PLAIN_EXPONENT_LIMIT) {
      return sign + scientific(digits, exponent);
    }
    return sign + plain(digits, pointAt);
  }

  private static String scientific(String digits, int exponent) {
    StringBuilder b = new StringBuilder().append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10) {
      b.append('0');
    }
    return b.append(e).toString();
  }

  private static String plain(String digits, int pointAt) {
    if (pointAt <= 0) {
      return "0." + "0".repeat(-pointAt) + digits;
    }
    if (pointAt >= digits.length()) {
      return digits + "0".repeat(pointAt - digits.length());
    }
    return digits.substring(0, pointAt) + "." + digits.substring(pointAt);
  }
}
