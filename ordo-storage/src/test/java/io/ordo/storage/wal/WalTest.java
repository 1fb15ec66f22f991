package io.ordo.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.storage.io.StorageCorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  private static final WalMetadata META = new WalMetadata(3, "mychannel");
  private static final WalOptions SMALL = WalOptions.defaults().withSegmentBytes(4096);

  @TempDir Path dir;

  static Entry entry(long term, long index) {
    return Messages.entry(
        term, index, EntryType.EntryNormal, ByteString.copyFromUtf8("block " + index + "/" + term));
  }

  static List<Entry> entries(long term, long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(i -> entry(term, i)).toList();
  }

  @Test
  void reopenReplaysHardStateEntriesAndMetadata() {
    HardState hs = Messages.hardState(2, 1, 5);
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(Messages.hardState(1, 1, 0), entries(1, 1, 3), null);
      wal.save(hs, entries(2, 4, 6), null);
    }
    Wal.Opened opened = Wal.open(dir, WalOptions.defaults());
    try (Wal wal = opened.wal()) {
      assertThat(opened.recovery().metadata()).isEqualTo(META);
      assertThat(opened.recovery().hardState()).isEqualTo(hs);
      assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO))
          .containsExactlyElementsOf(
              Stream.concat(entries(1, 1, 3).stream(), entries(2, 4, 6).stream()).toList());
      assertThat(wal.lastIndex()).isEqualTo(6);
    }
  }

  @Test
  void theObserverIsToldTheBytesOfEachSaveAndOneFsyncPerSyncedSave() throws IOException {
    List<Long> written = new ArrayList<>();
    List<Long> fsyncs = new ArrayList<>();
    WalObserver observer =
        new WalObserver() {
          @Override
          public void written(long bytes) {
            written.add(bytes);
          }

          @Override
          public void synced(long nanos) {
            fsyncs.add(nanos);
          }
        };
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults().withObserver(observer))) {
      written.clear(); // the first segment's head
      wal.save(Messages.hardState(1, 1, 0), entries(1, 1, 3), null);
      wal.save(Messages.hardState(1, 1, 3), List.of(), null, false);
    }
    assertThat(written).hasSize(2).allSatisfy(b -> assertThat(b).isPositive());
    assertThat(fsyncs).as("the commit-only save is not synced").hasSize(1);
    assertThat(fsyncs.getFirst()).isPositive();
  }

  @Test
  void anEntryAtOrBelowTheLastIndexReplacesTheSuffix() {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(null, entries(1, 1, 5), null);
      wal.save(null, entries(2, 3, 4), null);
    }
    try (Wal.Opened opened = open()) {
      List<Entry> log = opened.recovery().entriesAfter(SnapshotMarker.ZERO);
      assertThat(log).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L, 4L);
      assertThat(log).extracting(Entry::getTerm).containsExactly(1L, 1L, 2L, 2L);
    }
  }

  @Test
  void replayAfterASnapshotMarkerSkipsEntriesItCovers() {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(null, entries(1, 1, 5), null);
      wal.save(null, List.of(), new SnapshotMarker(4, 1));
      wal.save(null, entries(1, 6, 7), null);
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().markers())
          .containsExactlyInAnyOrder(SnapshotMarker.ZERO, new SnapshotMarker(4, 1));
      assertThat(opened.recovery().entriesAfter(new SnapshotMarker(4, 1)))
          .extracting(Entry::getIndex)
          .containsExactly(5L, 6L, 7L);
      assertThatThrownBy(() -> opened.recovery().entriesAfter(new SnapshotMarker(5, 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not recorded");
    }
  }

  @Test
  void aSnapshotReceivedFromTheLeaderLetsTheLogJumpAhead() {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(null, entries(1, 1, 2), null);
      wal.save(Messages.hardState(3, 0, 100), entries(3, 101, 102), new SnapshotMarker(100, 3));
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().entriesAfter(new SnapshotMarker(100, 3)))
          .extracting(Entry::getIndex)
          .containsExactly(101L, 102L);
      assertThatThrownBy(() -> opened.recovery().entriesAfter(SnapshotMarker.ZERO))
          .isInstanceOf(StorageCorruptionException.class)
          .hasMessageContaining("entry 101 leaves a gap");
    }
  }

  @Test
  void aSaveThatWouldLeaveAGapIsRefused() {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(null, entries(1, 1, 2), null);
      assertThatThrownBy(() -> wal.save(null, entries(1, 4, 4), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("gap");
    }
  }

  @Test
  void segmentsRollAndEveryOneCarriesTheHardStateAndNewestMarker() throws IOException {
    HardState hs = Messages.hardState(1, 1, 1);
    try (Wal wal = Wal.create(dir, META, SMALL)) {
      wal.save(hs, List.of(), new SnapshotMarker(0, 0));
      for (long i = 1; i <= 300; i++) {
        wal.save(null, List.of(entry(1, i)), null);
      }
      int before = wal.segmentCount();
      assertThat(before).isGreaterThan(2);
      wal.save(null, List.of(), new SnapshotMarker(150, 1));
      wal.releaseTo(150);
      assertThat(wal.segmentCount()).isLessThan(before).isEqualTo(segmentFiles().size());
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().hardState()).isEqualTo(hs);
      List<Entry> log = opened.recovery().entriesAfter(new SnapshotMarker(150, 1));
      assertThat(log).extracting(Entry::getIndex).containsExactlyElementsOf(range(151, 300));
      String oldest = segmentFiles().getFirst().getFileName().toString();
      assertThat(SegmentName.parse(oldest).orElseThrow().firstIndex()).isGreaterThan(1);
    }
  }

  @Test
  void releaseKeepsEverySegmentWithEntriesAtOrAboveTheMargin() throws IOException {
    try (Wal wal = Wal.create(dir, META, SMALL.withReleaseMarginEntries(50))) {
      for (long i = 1; i <= 300; i++) {
        wal.save(null, List.of(entry(1, i)), null);
      }
      wal.save(null, List.of(), new SnapshotMarker(280, 1));
      wal.releaseTo(280);
    }
    try (Wal.Opened opened = open()) {
      List<Entry> log = opened.recovery().entriesAfter(new SnapshotMarker(280, 1));
      assertThat(log).extracting(Entry::getIndex).containsExactlyElementsOf(range(281, 300));
      long lowest =
          segmentFiles().stream()
              .map(p -> SegmentName.parse(p.getFileName().toString()).orElseThrow().firstIndex())
              .min(Long::compare)
              .orElseThrow();
      assertThat(lowest).isLessThanOrEqualTo(230);
    }
  }

  @Test
  void aTornTailOfTheNewestSegmentIsCutBackToTheLastWholeRecord() throws IOException {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults().withPreallocate(false))) {
      wal.save(null, entries(1, 1, 3), null);
    }
    Path seg = segmentFiles().getLast();
    long size = Files.size(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(size - 5);
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO))
          .extracting(Entry::getIndex)
          .containsExactly(1L, 2L);
      opened.wal().save(null, entries(2, 3, 4), null);
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO))
          .extracting(Entry::getTerm)
          .containsExactly(1L, 1L, 2L, 2L);
    }
  }

  @Test
  void garbageAfterTheLastRecordOfAPreallocatedSegmentIsCut() throws IOException {
    long end;
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      wal.save(null, entries(1, 1, 3), null);
      end = Files.size(segmentFiles().getLast());
    }
    Path seg = segmentFiles().getLast();
    long dataEnd = lastRecordEnd(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(dataEnd);
      f.write(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 3, 9, 9, 9});
    }
    assertThat(end).isEqualTo(WalOptions.DEFAULT_SEGMENT_BYTES);
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO)).hasSize(3);
    }
  }

  @Test
  void aFlippedByteInTheMiddleOfTheNewestSegmentIsNamedCorruption() throws IOException {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      for (long i = 1; i <= 20; i++) {
        wal.save(null, List.of(entry(1, i)), null);
      }
    }
    Path seg = segmentFiles().getLast();
    long at = lastRecordEnd(seg) / 2;
    flip(seg, at);
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining(seg.getFileName().toString())
        .hasMessageContaining("a valid record follows");
  }

  @Test
  void aFlippedByteInAnOlderSegmentIsNamedCorruptionEvenAtItsEnd() throws IOException {
    try (Wal wal = Wal.create(dir, META, SMALL)) {
      for (long i = 1; i <= 300; i++) {
        wal.save(null, List.of(entry(1, i)), null);
      }
    }
    Path first = segmentFiles().getFirst();
    flip(first, Files.size(first) - 3);
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining(first.toString())
        .hasMessageContaining("not the newest segment")
        .hasMessageContaining("CRC32C mismatch");
  }

  @Test
  void aMissingMiddleSegmentIsNamedCorruption() throws IOException {
    try (Wal wal = Wal.create(dir, META, SMALL)) {
      for (long i = 1; i <= 300; i++) {
        wal.save(null, List.of(entry(1, i)), null);
      }
    }
    Files.delete(segmentFiles().get(1));
    assertThatThrownBy(this::open)
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining("sequence jumps");
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (Wal wal = Wal.create(dir, META, WalOptions.defaults())) {
      assertThatThrownBy(this::open)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already open");
    }
  }

  @Test
  void aSaveLargerThanASegmentGetsItsOwnSegment() {
    List<Entry> big = new ArrayList<>();
    for (long i = 1; i <= 3; i++) {
      big.add(Messages.entry(1, i, EntryType.EntryNormal, ByteString.copyFrom(new byte[10_000])));
    }
    try (Wal wal = Wal.create(dir, META, SMALL)) {
      wal.save(null, big, null);
      wal.save(null, entries(1, 4, 4), null);
    }
    try (Wal.Opened opened = open()) {
      assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO))
          .extracting(Entry::getIndex)
          .containsExactly(1L, 2L, 3L, 4L);
    }
  }

  private Wal.Opened open() {
    return Wal.open(dir, WalOptions.defaults());
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
    }
  }

  /** Offset after the last whole record, found by walking the frames. */
  static long lastRecordEnd(Path seg) throws IOException {
    byte[] b = Files.readAllBytes(seg);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    int off = 0;
    while (off + 9 <= b.length && buf.getInt(off) != 0) {
      off += 9 + buf.getInt(off);
    }
    return off;
  }

  static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
