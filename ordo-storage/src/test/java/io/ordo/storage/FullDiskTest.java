package io.ordo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.raft.Messages;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.storage.io.FullDiskChannels;
import io.ordo.storage.io.StorageIoException;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import io.ordo.storage.ledger.TestBlocks;
import io.ordo.storage.wal.WalOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up mid-write, through channels that fail as write(2) does with ENOSPC. */
class FullDiskTest {
  @TempDir Path dir;

  @Test
  void aFullDiskFailsTheStoreLeavesMemoryAloneAndReopensToTheLastSave() {
    FullDiskChannels disk = new FullDiskChannels(Long.MAX_VALUE);
    RaftStorageOptions options =
        RaftStorageOptions.defaults().withWal(WalOptions.defaults().withChannels(disk));
    HardState hs = Messages.hardState(1, 1, 3);
    try (RaftStorage s = RaftStorage.open(dir, RaftStorageTest.OWNER, options)) {
      s.store(hs, RaftStorageTest.entries(1, 1, 5), null);
      disk.remaining(100);
      List<Entry> more = RaftStorageTest.entries(1, 6, 20);
      assertThatThrownBy(() -> s.store(Messages.hardState(1, 1, 5), more, null))
          .isInstanceOf(StorageIoException.class)
          .hasMessageContaining(".wal")
          .hasMessageContaining("No space left on device");
      assertThat(s.lastIndex()).isEqualTo(5);
      assertThat(s.hardState()).isEqualTo(hs);
      disk.remaining(Long.MAX_VALUE);
      assertThatThrownBy(() -> s.store(null, more, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reopen");
    }
    try (RaftStorage s = RaftStorage.open(dir, RaftStorageTest.OWNER, options)) {
      assertThat(s.lastIndex()).isEqualTo(5);
      assertThat(s.hardState()).isEqualTo(hs);
      s.store(Messages.hardState(1, 1, 6), RaftStorageTest.entries(1, 6, 7), null);
      assertThat(s.lastIndex()).isEqualTo(7);
    }
  }

  @Test
  void aFullDiskFailsTheAppendKeepsTheHeightAndTheLedgerReopensCleanly() {
    FullDiskChannels disk = new FullDiskChannels(Long.MAX_VALUE);
    LedgerOptions options = LedgerOptions.defaults().withChannels(disk);
    try (BlockLedger ledger = BlockLedger.open(dir, options)) {
      ledger.append(TestBlocks.block(0));
      ledger.append(TestBlocks.block(1));
      disk.remaining(300);
      assertThatThrownBy(() -> ledger.append(TestBlocks.block(2, 1000)))
          .isInstanceOf(StorageIoException.class)
          .hasMessageContaining("blockfile_000000")
          .hasMessageContaining("No space left on device");
      assertThat(ledger.height()).isEqualTo(2);
      assertThat(ledger.block(1)).isEqualTo(TestBlocks.block(1));
    }
    try (BlockLedger ledger = BlockLedger.open(dir, LedgerOptions.defaults())) {
      assertThat(ledger.height()).isEqualTo(2);
      ledger.append(TestBlocks.block(2, 1000));
      assertThat(ledger.block(2)).isEqualTo(TestBlocks.block(2, 1000));
    }
  }
}
