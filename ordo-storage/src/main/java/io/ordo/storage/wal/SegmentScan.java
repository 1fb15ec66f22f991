package io.ordo.storage.wal;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading one segment found: its whole records, where they end, and, if reading stopped at a
 * bad record, why and whether a valid record follows it (which rules out a torn write).
 *
 * @param validEnd offset just past the last whole record
 * @param problem why reading stopped before the end of the file, or null if it did not
 * @param validRecordAfter offset of a valid record after the bad one, or -1
 */
record SegmentScan(
    Path file, List<WalRecord> records, long validEnd, String problem, long validRecordAfter) {
  boolean damaged() {
    return problem != null;
  }
}
