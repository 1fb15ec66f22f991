package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitGapsTest {
  private static final long MS = 1_000_000L;

  /** A progress of four transactions sent at 1000 ms and committed at the times given (0: not). */
  private static BenchProgress progress(long... committedMs) {
    BenchProgress p = new BenchProgress(committedMs.length);
    for (int i = 0; i < committedMs.length; i++) {
      p.sent(i, 1_000 * MS);
      if (committedMs[i] != 0) {
        p.committed(i, committedMs[i] * MS);
      }
    }
    return p;
  }

  @Test
  void theLongestGapIsBetweenCommitsAndTheFirstBreakIsTimedToTheNextCommit() {
    CommitGaps g = CommitGaps.of(progress(1_100, 1_200, 4_200, 4_300), 1_500 * MS, 4_400 * MS);

    assertThat(g.longestGapMs()).isEqualTo(3_000.0);
    assertThat(g.firstBreakToCommitMs()).isEqualTo(2_700.0);
  }

  @Test
  void aServiceThatNeverCommitsAgainShowsItsOutageUpToTheEndOfTheRun() {
    CommitGaps g = CommitGaps.of(progress(1_100, 0, 0, 0), 1_150 * MS, 9_100 * MS);

    assertThat(g.longestGapMs()).isEqualTo(8_000.0);
    assertThat(g.firstBreakToCommitMs()).isNull();
  }

  @Test
  void withoutABreakThereIsNoRecoveryTime() {
    CommitGaps g = CommitGaps.of(progress(1_400, 1_500), 0, 1_500 * MS);

    assertThat(g.longestGapMs()).isEqualTo(400.0);
    assertThat(g.firstBreakToCommitMs()).isNull();
  }
}
