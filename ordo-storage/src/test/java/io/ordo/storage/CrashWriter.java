package io.ordo.storage;

import com.google.protobuf.ByteString;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import io.ordo.storage.ledger.TestBlocks;
import io.ordo.storage.wal.SnapshotMarker;
import io.ordo.storage.wal.Wal;
import io.ordo.storage.wal.WalMetadata;
import io.ordo.storage.wal.WalOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The process {@link CrashTest} kills: appends WAL saves and ledger blocks until killed, printing a
 * line before each save ({@code W start count term}) and after it returned ({@code w ...}), and
 * after each block append ({@code b number}); now and then it prunes the ledger, printing {@code P
 * below} before and {@code p first} after.
 */
public final class CrashWriter {
  static final WalMetadata OWNER = new WalMetadata(1, "crash");
  static final WalOptions WAL = WalOptions.defaults().withSegmentBytes(64 << 10);
  // small files, so that prunes delete some at almost every kill
  static final LedgerOptions LEDGER = LedgerOptions.defaults().withFileBytes(16 << 10);

  private CrashWriter() {}

  /** The data of entry (index, term): its size and bytes follow from both. */
  static ByteString data(long index, long term) {
    Random r = new Random(index * 1_000_003L + term);
    byte[] b = new byte[100 + r.nextInt(1900)];
    r.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  static Entry entry(long index, long term) {
    return Messages.entry(term, index, EntryType.EntryNormal, data(index, term));
  }

  public static void main(String[] args) {
    Path walDir = Path.of(args[0], "wal");
    Path ledgerDir = Path.of(args[0], "ledger");
    Random random = new Random(Long.parseLong(args[1]));
    PrintStream out = new PrintStream(System.out, false);
    long last;
    long term;
    Wal wal;
    if (Wal.exists(walDir)) {
      Wal.Opened opened = Wal.open(walDir, WAL);
      List<Entry> log = opened.recovery().entriesAfter(SnapshotMarker.ZERO);
      wal = opened.wal();
      last = log.isEmpty() ? 0 : log.getLast().getIndex();
      term = (log.isEmpty() ? 0 : log.getLast().getTerm()) + 1;
    } else {
      wal = Wal.create(walDir, OWNER, WAL);
      last = 0;
      term = 1;
    }
    BlockLedger ledger = BlockLedger.open(ledgerDir, LEDGER);
    long height = ledger.height();
    out.println("ready " + last + " " + height + " " + ledger.first());
    out.flush();
    while (true) {
      long back = random.nextInt(8) == 0 ? random.nextInt((int) Math.min(3, last) + 1) : 0;
      long start = last - back + 1;
      int count = 1 + random.nextInt(8);
      List<Entry> batch = new ArrayList<>(count);
      for (long i = start; i < start + count; i++) {
        batch.add(entry(i, term));
      }
      out.println("W " + start + " " + count + " " + term);
      out.flush();
      wal.save(Messages.hardState(term, 1, start + count - 1), batch, null);
      out.println("w " + start + " " + count + " " + term);
      out.flush();
      last = start + count - 1;
      if (back > 0) {
        term++;
      }
      ledger.append(TestBlocks.block(height));
      out.println("b " + height);
      out.flush();
      height++;
      if (random.nextInt(4) == 0) {
        long below = height - 20 - random.nextInt(40);
        out.println("P " + below);
        out.flush();
        long first = ledger.prune(below).first();
        out.println("p " + first);
        out.flush();
      }
    }
  }
}
