package io.ordo.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.io.ChannelFactory;
import io.ordo.storage.snap.Snapshotter;
import io.ordo.storage.wal.WalMetadata;
import io.ordo.storage.wal.WalOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftStorageTest {
  static final WalMetadata OWNER = new WalMetadata(2, "mychannel");
  static final RaftStorageOptions SMALL =
      RaftStorageOptions.defaults().withWal(WalOptions.defaults().withSegmentBytes(4096));
  static final ConfState CONF =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).setAutoLeave(false).build();

  @TempDir Path dir;

  static Entry entry(long term, long index) {
    return Messages.entry(
        term, index, EntryType.EntryNormal, ByteString.copyFromUtf8("block " + index));
  }

  static List<Entry> entries(long term, long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(i -> entry(term, i)).toList();
  }

  RaftStorage open() {
    return RaftStorage.open(dir, OWNER, SMALL);
  }

  @Test
  void aCommitOnlyHardStateIsWrittenWithoutAnFsyncAndEntriesAreSynced() {
    io.ordo.storage.io.FullDiskChannels channels =
        new io.ordo.storage.io.FullDiskChannels(Long.MAX_VALUE);
    RaftStorageOptions counting =
        RaftStorageOptions.defaults()
            .withWal(WalOptions.defaults().withSegmentBytes(1 << 20).withChannels(channels));
    try (RaftStorage s = RaftStorage.open(dir, OWNER, counting)) {
      s.store(Messages.hardState(1, 1, 0), entries(1, 1, 3), null, true);
      long afterSynced = channels.forces();
      s.store(Messages.hardState(1, 1, 3), List.of(), null, false);
      assertThat(channels.forces()).isEqualTo(afterSynced);
      s.store(Messages.hardState(1, 1, 3), entries(1, 4, 4), null, true);
      assertThat(channels.forces()).isGreaterThan(afterSynced);
    }
    try (RaftStorage s = RaftStorage.open(dir, OWNER, counting)) {
      assertThat(s.initialState().hardState()).isEqualTo(Messages.hardState(1, 1, 3));
      assertThat(s.lastIndex()).isEqualTo(4);
    }
  }

  @Test
  void aNewStorageIsEmpty() {
    try (RaftStorage s = open()) {
      assertThat(s.firstIndex()).isEqualTo(1);
      assertThat(s.lastIndex()).isZero();
      assertThat(s.initialState().hardState()).isEqualTo(Messages.EMPTY_HARD_STATE);
    }
  }

  @Test
  void storedEntriesAndHardStateAreThereAfterReopen() {
    HardState hs = Messages.hardState(2, 1, 7);
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 0), entries(1, 1, 5), null);
      s.store(hs, entries(2, 4, 9), Messages.EMPTY_SNAPSHOT);
      assertThat(s.lastIndex()).isEqualTo(9);
      assertThat(s.term(5)).isEqualTo(2);
    }
    try (RaftStorage s = open()) {
      assertThat(s.initialState().hardState()).isEqualTo(hs);
      assertThat(s.entries(1, 10, Long.MAX_VALUE))
          .extracting(Entry::getTerm)
          .containsExactly(1L, 1L, 1L, 2L, 2L, 2L, 2L, 2L, 2L);
    }
  }

  @Test
  void aLocalSnapshotReleasesTheWalSegmentsWhollyBelowIt() throws IOException {
    try (RaftStorage s = open()) {
      for (long from = 1; from <= 300; from += 10) {
        s.store(Messages.hardState(1, 1, from + 9), entries(1, from, from + 9), null);
      }
      long before = walSegments();
      assertThat(before).as("entries spread over several 4 KB segments").isGreaterThan(2);
      s.takeSnapshot(250, CONF, ByteString.copyFromUtf8("block 250"));
      assertThat(walSegments()).isLessThan(before);
    }
    try (RaftStorage s = open()) {
      assertThat(s.entries(251, 301, Long.MAX_VALUE)).isEqualTo(entries(1, 251, 300));
    }
  }

  private long walSegments() throws IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".wal")).count();
    }
  }

  @Test
  void aLocalSnapshotCompactsMemoryAndIsLoadedOnReopen() {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 300), entries(1, 1, 300), null);
      Snapshot snap = s.takeSnapshot(250, CONF, ByteString.copyFromUtf8("block 250"));
      assertThat(snap.getMetadata().getIndex()).isEqualTo(250);
      assertThat(s.firstIndex()).isEqualTo(247);
      assertThat(s.snapshot()).isEqualTo(snap);
    }
    try (RaftStorage s = open()) {
      assertThat(s.snapshot().getMetadata().getIndex()).isEqualTo(250);
      assertThat(s.initialState().confState()).isEqualTo(CONF);
      assertThat(s.firstIndex()).isEqualTo(251);
      assertThat(s.lastIndex()).isEqualTo(300);
      assertThat(s.entries(251, 301, Long.MAX_VALUE)).isEqualTo(entries(1, 251, 300));
    }
  }

  @Test
  void aSnapshotFromTheLeaderReplacesTheLog() {
    Snapshot fromLeader = Messages.snapshot(ByteString.copyFromUtf8("block 500"), CONF, 500, 4);
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 3), entries(1, 1, 3), null);
      s.store(Messages.hardState(4, 0, 500), List.of(), fromLeader);
      s.store(null, entries(4, 501, 502), null);
      assertThat(s.firstIndex()).isEqualTo(501);
      assertThat(s.lastIndex()).isEqualTo(502);
    }
    try (RaftStorage s = open()) {
      assertThat(s.snapshot()).isEqualTo(fromLeader);
      assertThat(s.entries(501, 503, Long.MAX_VALUE)).isEqualTo(entries(4, 501, 502));
      assertThat(s.hardState().getCommit()).isEqualTo(500);
    }
  }

  @Test
  void aCorruptNewestSnapshotFallsBackToAnOlderOneAndItsEntries() throws IOException {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 300), entries(1, 1, 300), null);
      s.takeSnapshot(100, CONF, ByteString.copyFromUtf8("block 100"));
      s.takeSnapshot(200, CONF, ByteString.copyFromUtf8("block 200"));
    }
    Snapshotter snaps = new Snapshotter(dir.resolve("snap"), ChannelFactory.DEFAULT);
    Path newest = snaps.snapshotFiles().getLast();
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.setLength(f.length() - 3);
    }
    try (RaftStorage s = open()) {
      assertThat(s.snapshot().getMetadata().getIndex()).isEqualTo(100);
      assertThat(s.firstIndex()).isEqualTo(101);
      assertThat(s.lastIndex()).isEqualTo(300);
    }
  }

  @Test
  void aSnapshotFileTheWalNeverMarkedIsIgnored() {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 10), entries(1, 1, 10), null);
    }
    // as if the node crashed after writing the snapshot file, before the WAL marker
    new Snapshotter(dir.resolve("snap"), ChannelFactory.DEFAULT)
        .save(Messages.snapshot(ByteString.EMPTY, CONF, 8, 1));
    try (RaftStorage s = open()) {
      assertThat(s.snapshot().getMetadata().getIndex()).isZero();
      assertThat(s.lastIndex()).isEqualTo(10);
    }
  }

  @Test
  void aDeletedSnapshotFolderIsNamedWithTheSnapshotTheWalRefersTo() throws IOException {
    try (RaftStorage s = open()) {
      for (long from = 1; from <= 300; from += 10) {
        s.store(Messages.hardState(1, 1, from + 9), entries(1, from, from + 9), null);
      }
      s.takeSnapshot(250, CONF, ByteString.copyFromUtf8("block 250"));
    }
    Path snap = dir.resolve("snap");
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(snap)) {
      for (Path f : files.toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(this::open)
        .isInstanceOf(io.ordo.storage.io.StorageCorruptionException.class)
        .hasMessage(
            snap
                + ": the snapshot folder holds no intact snapshot the WAL marks while the WAL in "
                + dir.resolve("wal")
                + " refers to the snapshot at index 250");

    java.nio.file.Files.delete(snap);
    org.assertj.core.api.Assertions.assertThatThrownBy(this::open)
        .isInstanceOf(io.ordo.storage.io.StorageCorruptionException.class)
        .hasMessage(
            snap
                + ": the snapshot folder is missing while the WAL in "
                + dir.resolve("wal")
                + " refers to the snapshot at index 250");
    assertThat(snap).doesNotExist();
  }

  @Test
  void aMissingSnapshotFolderIsNamedWhenTheLeadersSnapshotIsBeyondTheLog() throws IOException {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 5), entries(1, 1, 5), null);
      s.store(
          Messages.hardState(2, 0, 18),
          List.of(),
          Messages.snapshot(ByteString.copyFromUtf8("block 14"), CONF, 18, 2));
    }
    java.nio.file.Files.walk(dir.resolve("snap"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    org.assertj.core.api.Assertions.assertThatThrownBy(this::open)
        .isInstanceOf(io.ordo.storage.io.StorageCorruptionException.class)
        .hasMessageEndingWith(" refers to the snapshot at index 18");
  }

  @Test
  void aMissingSnapshotFolderIsMadeAgainWhenTheWalHoldsTheWholeLog() throws IOException {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 10), entries(1, 1, 10), null);
    }
    java.nio.file.Files.delete(dir.resolve("snap"));
    try (RaftStorage s = open()) {
      assertThat(s.lastIndex()).isEqualTo(10);
    }
    assertThat(dir.resolve("snap")).isDirectory();
  }

  @Test
  void anotherNodesWalIsRefused() {
    try (RaftStorage s = open()) {
      s.store(Messages.hardState(1, 1, 0), entries(1, 1, 1), null);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RaftStorage.open(dir, new WalMetadata(9, "mychannel"), SMALL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("belongs to");
  }
}
