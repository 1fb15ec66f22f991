package io.ordo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.HardState;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.TestBlocks;
import io.ordo.storage.wal.SnapshotMarker;
import io.ordo.storage.wal.Wal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, then checks that everything it
 * acknowledged survived, intact and in order, and that the next child appends on top. The child
 * also prunes its ledger now and then, so kills land inside prunes too: the ledger must then open
 * and serve every block from its first one, which is the last acknowledged prune's or one up to the
 * bound of the prune under way. Kills: {@code -Dordo.crash.kills} (50 by default, 1,000 under
 * {@code -Psoak}); replay a run with {@code -Dordo.crash.seed}.
 */
class CrashTest {
  @TempDir Path dir;

  /** A save the child began: entries {@code start .. start+count-1} of {@code term}. */
  record Save(long start, int count, long term) {
    static Save parse(String[] f) {
      return new Save(Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]));
    }

    List<Long> applyPrefix(List<Long> terms, int k) {
      List<Long> out = new ArrayList<>(terms.subList(0, (int) Math.min(terms.size(), start - 1)));
      for (int i = 0; i < k; i++) {
        out.add(term);
      }
      return out;
    }
  }

  @Test
  void everythingAcknowledgedSurvivesSigkillAndAppendsContinue() throws Exception {
    int kills = Integer.getInteger("ordo.crash.kills", 50);
    long seed = Long.getLong("ordo.crash.seed", new Random().nextLong());
    System.out.println(
        "CrashTest: seed "
            + seed
            + ", "
            + kills
            + " kills (replay: -Dordo.crash.seed="
            + seed
            + ")");
    Random random = new Random(seed);
    List<Long> terms = new ArrayList<>(); // terms.get(i - 1) = term of entry i, as acknowledged
    long ackedBlocks = 0;
    long ackedFirst = 0;
    Path stderr = dir.resolve("child.err");
    for (int kill = 0; kill < kills; kill++) {
      int linesBeforeKill = 1 + random.nextInt(120);
      Process child = start(random.nextLong(), stderr);
      Save pending = null;
      long pendingPrune = -1;
      int acks = 0;
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        boolean killed = false;
        while ((line = in.readLine()) != null) {
          String[] f = line.split(" ");
          switch (f[0]) {
            case "ready" -> {
              assertThat(Long.parseLong(f[1])).isEqualTo(terms.size());
              assertThat(Long.parseLong(f[2])).isEqualTo(ackedBlocks);
              assertThat(Long.parseLong(f[3])).isEqualTo(ackedFirst);
            }
            case "W" -> pending = Save.parse(f);
            case "w" -> {
              Save done = Save.parse(f);
              assertThat(done).isEqualTo(pending);
              terms = done.applyPrefix(terms, done.count());
              pending = null;
              acks++;
            }
            case "b" -> {
              assertThat(Long.parseLong(f[1])).isEqualTo(ackedBlocks);
              ackedBlocks++;
              acks++;
            }
            case "P" -> pendingPrune = Long.parseLong(f[1]);
            case "p" -> {
              long first = Long.parseLong(f[1]);
              assertThat(first).isGreaterThanOrEqualTo(ackedFirst);
              ackedFirst = first;
              pendingPrune = -1;
              acks++;
            }
            default -> fail("unexpected line from the child: " + line);
          }
          if (!killed && acks >= linesBeforeKill) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe, losing acknowledgements the child flushed just before it died
            child.toHandle().destroyForcibly();
            killed = true;
          }
        }
      }
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        fail("child did not die");
      }
      if (acks < linesBeforeKill) {
        fail("child exited by itself with " + child.exitValue() + ": " + Files.readString(stderr));
      }
      terms = checkWal(terms, pending, kill, seed);
      long[] held = checkLedger(ackedBlocks, ackedFirst, pendingPrune, kill, seed);
      ackedFirst = held[0];
      ackedBlocks = held[1];
    }
    if (kills >= 10) {
      assertThat(ackedFirst)
          .as("the first block after %d kills: the child pruned", kills)
          .isPositive();
    }
    // appends continue on top of what the last crash left
    try (Wal.Opened opened = Wal.open(dir.resolve("wal"), CrashWriter.WAL)) {
      long next = terms.size() + 1;
      opened.wal().save(null, List.of(CrashWriter.entry(next, 1_000_000)), null);
    }
    try (BlockLedger ledger = BlockLedger.open(dir.resolve("ledger"), CrashWriter.LEDGER)) {
      ledger.append(TestBlocks.block(ledger.height()));
    }
    try (Wal.Opened opened = Wal.open(dir.resolve("wal"), CrashWriter.WAL);
        BlockLedger ledger = BlockLedger.open(dir.resolve("ledger"), CrashWriter.LEDGER)) {
      List<Entry> log = opened.recovery().entriesAfter(SnapshotMarker.ZERO);
      assertThat(log).hasSize(terms.size() + 1);
      assertThat(log.getLast().getTerm()).isEqualTo(1_000_000);
      assertThat(ledger.height()).isEqualTo(ackedBlocks + 1);
    }
  }

  /** The log after the crash: the acknowledged one, plus any prefix of the save under way. */
  private List<Long> checkWal(List<Long> acked, Save pending, int kill, long seed) {
    try (Wal.Opened opened = Wal.open(dir.resolve("wal"), CrashWriter.WAL)) {
      List<Entry> log = opened.recovery().entriesAfter(SnapshotMarker.ZERO);
      List<Long> terms = new ArrayList<>(log.size());
      for (int i = 0; i < log.size(); i++) {
        Entry e = log.get(i);
        assertThat(e.getIndex()).as("index at position %d", i).isEqualTo(i + 1L);
        assertThat(e.getData())
            .as("data of entry %d (kill %d, seed %d)", e.getIndex(), kill, seed)
            .isEqualTo(CrashWriter.data(e.getIndex(), e.getTerm()));
        terms.add(e.getTerm());
      }
      boolean explained = terms.equals(acked);
      for (int k = 1; pending != null && !explained && k <= pending.count(); k++) {
        explained = terms.equals(pending.applyPrefix(acked, k));
      }
      if (!explained) {
        fail(
            "kill %d (seed %d): WAL log of terms %s is neither the acknowledged %s nor that plus a"
                + " prefix of %s",
            kill, seed, tail(terms), tail(acked), pending);
      }
      HardState hs = opened.recovery().hardState();
      assertThat(hs.getCommit()).isGreaterThanOrEqualTo(acked.isEmpty() ? 0 : 1);
      return terms;
    }
  }

  /**
   * The ledger after the crash: every acknowledged block from its first one on, the first block of
   * the last acknowledged prune or, when a prune was under way, one up to its bound.
   *
   * @return the first block and the height
   */
  private long[] checkLedger(long acked, long ackedFirst, long pendingPrune, int kill, long seed) {
    try (BlockLedger ledger = BlockLedger.open(dir.resolve("ledger"), CrashWriter.LEDGER)) {
      long height = ledger.height();
      long first = ledger.first();
      assertThat(height)
          .as("ledger height after kill %d (seed %d), %d blocks acknowledged", kill, seed, acked)
          .isBetween(acked, acked + 1);
      assertThat(first)
          .as(
              "first block after kill %d (seed %d), %d acknowledged, prune below %d under way",
              kill, seed, ackedFirst, pendingPrune)
          .isBetween(ackedFirst, Math.max(ackedFirst, pendingPrune));
      for (long n = first; n < height; n++) {
        assertThat(ledger.block(n))
            .as("block %d (kill %d, seed %d)", n, kill, seed)
            .isEqualTo(TestBlocks.block(n));
      }
      return new long[] {first, height};
    }
  }

  private Process start(long childSeed, Path stderr) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            java,
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            CrashWriter.class.getName(),
            dir.toString(),
            Long.toString(childSeed))
        .redirectError(stderr.toFile())
        .start();
  }

  private static List<Long> tail(List<Long> terms) {
    return terms.subList(Math.max(0, terms.size() - 12), terms.size());
  }
}
