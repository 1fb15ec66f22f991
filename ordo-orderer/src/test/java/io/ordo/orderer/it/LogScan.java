package io.ordo.orderer.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines of a node's log that show an error it did not expect: a stack frame ({@code \tat }) or
 * an exception's name. An expected error (a peer gone, a damaged file, a full disk, a client's
 * garbage) is one line in plain words; a stack trace or an exception class in the log means the
 * node met something it was not written for. {@link #ALLOWED} lists the lines that name an
 * exception although the node handles what they report, each with the reason it stays.
 */
final class LogScan {
  /** Lines that name an exception for a handled case; none so far. */
  private static final List<Pattern> ALLOWED = List.of();

  private static final Pattern SUSPECT = Pattern.compile("^\\tat |Exception");

  private LogScan() {}

  /** The suspect lines of {@code log}, at most {@code limit} of them. */
  static List<String> suspectLines(String log, int limit) {
    return log.lines()
        .filter(l -> SUSPECT.matcher(l).find())
        .filter(l -> ALLOWED.stream().noneMatch(p -> p.matcher(l).find()))
        .limit(limit)
        .toList();
  }
}
