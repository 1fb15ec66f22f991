package io.ordo.storage.wal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file's name: {@code <seq>-<firstIndex>.wal}, both 16 hex digits, so that names sort in
 * log order. {@code firstIndex} is the index the next entry had when the segment was cut; an
 * overwrite may later write lower indexes into it.
 */
record SegmentName(long seq, long firstIndex) implements Comparable<SegmentName> {
  private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

  String fileName() {
    return String.format("%016x-%016x.wal", seq, firstIndex);
  }

  static Optional<SegmentName> parse(String fileName) {
    Matcher m = FORMAT.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SegmentName(
            Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
  }

  @Override
  public int compareTo(SegmentName o) {
    return Long.compare(seq, o.seq);
  }
}
