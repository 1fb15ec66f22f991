package io.ordo.cli.dashboard;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: its identifiers once label matchers, strings,
 * grouping clauses, durations and functions are taken out. Enough for a dashboard's queries, which
 * use no subqueries over recording rules.
 */
final class PromQlMetrics {
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?=\\s*(\\()?)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "bool", "and", "or", "unless", "offset", "inf");

  private PromQlMetrics() {}

  /** A Grafana variable's query: {@code label_values(EXPR, label)} reads EXPR's metrics. */
  static Set<String> ofVariableQuery(String query) {
    Matcher m = LABEL_VALUES.matcher(query.strip());
    return m.matches() ? of(m.group(1)) : of(query);
  }

  static Set<String> of(String expr) {
    String s = STRINGS.matcher(expr).replaceAll("\"\"");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGES.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    // Grafana's variables ($__rate_interval, $channel) are gone with the ranges and matchers
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      boolean function = m.group(1) != null;
      String name = m.group();
      if (!function && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}
