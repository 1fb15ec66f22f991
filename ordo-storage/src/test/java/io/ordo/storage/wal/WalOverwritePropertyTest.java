package io.ordo.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random saves that append, overwrite a suffix, or are followed by a reopen, against a list that
 * models the raft log. Segments are tiny so that overwrites cross segment boundaries.
 */
class WalOverwritePropertyTest {
  private static final WalOptions TINY = WalOptions.defaults().withSegmentBytes(4096);

  /** One step: go back {@code back} entries from the end, write {@code count}, maybe reopen. */
  record Step(int back, int count, boolean reopen) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 12),
            Arbitraries.integers().between(0, 9).map(i -> i == 0))
        .as(Step::new);
  }

  @Property(tries = 200)
  void replayYieldsTheLogTheModelHolds(
      @ForAll @Size(max = 60) List<@net.jqwik.api.From("steps") Step> plan) throws IOException {
    Path dir = Files.createTempDirectory("wal-prop");
    try {
      List<Entry> model = new ArrayList<>();
      long term = 1;
      Wal wal = Wal.create(dir, new WalMetadata(1, "ch"), TINY);
      try {
        for (Step step : plan) {
          int keep = Math.max(0, model.size() - step.back());
          if (keep < model.size()) {
            term++;
          }
          List<Entry> batch = new ArrayList<>();
          for (int i = 0; i < step.count(); i++) {
            batch.add(WalTest.entry(term, keep + i + 1L));
          }
          wal.save(null, batch, null);
          if (!batch.isEmpty()) {
            model.subList(keep, model.size()).clear();
            model.addAll(batch);
          }
          if (step.reopen()) {
            wal.close();
            Wal.Opened opened = Wal.open(dir, TINY);
            wal = opened.wal();
            assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO)).isEqualTo(model);
          }
        }
      } finally {
        wal.close();
      }
      try (Wal.Opened opened = Wal.open(dir, TINY)) {
        assertThat(opened.recovery().entriesAfter(SnapshotMarker.ZERO)).isEqualTo(model);
        assertThat(opened.wal().lastIndex()).isEqualTo(lastIndexWritten(plan, model));
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long lastIndexWritten(List<Step> plan, List<Entry> model) {
    // the WAL's last index is that of the last entry written, which an empty save leaves alone
    return model.isEmpty() ? 0 : model.getLast().getIndex();
  }
}
