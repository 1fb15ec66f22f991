package io.ordo.orderer.it;

import java.time.LocalTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times of a node's log lines, on this machine's clock: read from the lines themselves,
 * whatever the log format puts before the time of day (Fabric's console format starts with the
 * date).
 */
final class NodeLogTimes {
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("\\b(\\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\b");

  private NodeLogTimes() {}

  /** The time of the first line of {@code log} that matches {@code what}. */
  static LocalTime first(String log, Pattern what) {
    return log.lines()
        .filter(l -> what.matcher(l).find())
        .findFirst()
        .map(NodeLogTimes::of)
        .orElseThrow(() -> new AssertionError("no line matching " + what + " in the log"));
  }

  /** The times of every line of {@code log} that matches {@code what}, in the log's order. */
  static List<LocalTime> all(String log, Pattern what) {
    return log.lines().filter(l -> what.matcher(l).find()).map(NodeLogTimes::of).toList();
  }

  private static LocalTime of(String line) {
    Matcher m = TIME_OF_DAY.matcher(line);
    if (!m.find()) {
      throw new AssertionError("no time of day in the log line: " + line);
    }
    return LocalTime.parse(m.group(1));
  }
}
