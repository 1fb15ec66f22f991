package io.ordo.storage.snap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Snapshot;
import io.ordo.storage.io.ChannelFactory;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.wal.SnapshotMarker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
  @TempDir Path dir;

  static Snapshot snapshot(long index, long term) {
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).setAutoLeave(false).build();
    return Messages.snapshot(ByteString.copyFromUtf8("block at " + index), cs, index, term);
  }

  @Test
  void aSavedSnapshotLoadsBackEqual() {
    Snapshotter snap = new Snapshotter(dir, ChannelFactory.DEFAULT);
    snap.save(snapshot(10, 2));
    assertThat(snap.loadNewest(m -> true)).contains(snapshot(10, 2));
  }

  @Test
  void theObserverIsToldWhatEachSaveTook() {
    List<long[]> saves = new ArrayList<>();
    Snapshotter snap =
        new Snapshotter(
            dir,
            ChannelFactory.DEFAULT,
            (marshal, fsync, total) -> saves.add(new long[] {marshal, fsync, total}));
    snap.save(snapshot(10, 2));
    assertThat(saves)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t[0]).isPositive();
              assertThat(t[1]).isPositive();
              assertThat(t[2]).isGreaterThanOrEqualTo(t[0] + t[1]);
            });
  }

  @Test
  void loadNewestPicksTheHighestIndexTheWalKnows() {
    Snapshotter snap = new Snapshotter(dir, ChannelFactory.DEFAULT);
    snap.save(snapshot(10, 2));
    snap.save(snapshot(20, 2));
    snap.save(snapshot(30, 3));
    Set<SnapshotMarker> wal = Set.of(new SnapshotMarker(10, 2), new SnapshotMarker(20, 2));
    assertThat(snap.loadNewest(wal::contains)).contains(snapshot(20, 2));
  }

  @Test
  void aCorruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
    Snapshotter snap = new Snapshotter(dir, ChannelFactory.DEFAULT);
    snap.save(snapshot(10, 2));
    snap.save(snapshot(20, 2));
    Path newest = snap.snapshotFiles().getLast();
    try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
      f.seek(12);
      f.write(f.readByte() ^ 1);
    }
    assertThatThrownBy(() -> snap.read(newest))
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining(newest.toString())
        .hasMessageContaining("CRC32C mismatch");
    assertThat(snap.loadNewest(m -> true)).contains(snapshot(10, 2));
  }

  @Test
  void aTruncatedSnapshotIsNamedCorruption() throws IOException {
    Snapshotter snap = new Snapshotter(dir, ChannelFactory.DEFAULT);
    snap.save(snapshot(10, 2));
    Path file = snap.snapshotFiles().getLast();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 1);
    }
    assertThatThrownBy(() -> snap.read(file))
        .isInstanceOf(StorageCorruptionException.class)
        .hasMessageContaining("header says");
    assertThat(snap.loadNewest(m -> true)).isEmpty();
  }

  @Test
  void pruneKeepsTheNewestFiles() throws IOException {
    Snapshotter snap = new Snapshotter(dir, ChannelFactory.DEFAULT);
    for (long i = 1; i <= 6; i++) {
      snap.save(snapshot(i * 10, 1));
    }
    Files.writeString(dir.resolve("00000000000000aa-0000000000000001.snap.tmp"), "partial");
    snap.prune(4);
    assertThat(snap.snapshotFiles())
        .extracting(p -> snap.read(p).getMetadata().getIndex())
        .containsExactly(30L, 40L, 50L, 60L);
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(4);
    }
  }
}
