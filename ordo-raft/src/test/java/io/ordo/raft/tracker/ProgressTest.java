package io.ordo.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

  private static Progress progress(long match, long next) {
    return new Progress(match, next, new Inflights(2), false, true);
  }

  @Test
  void newProgressProbes() {
    Progress pr = progress(0, 5);
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    assertThat(pr.match()).isZero();
    assertThat(pr.next()).isEqualTo(5);
    assertThat(pr.recentActive()).isTrue();
    assertThat(pr.isLearner()).isFalse();
  }

  @Test
  void becomeProbeRestartsAfterMatch() {
    Progress pr = progress(5, 10);
    pr.becomeReplicate();
    pr.inflights().add(7);
    pr.optimisticUpdate(9);
    pr.becomeProbe();
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    assertThat(pr.next()).isEqualTo(6);
    assertThat(pr.inflights().count()).isZero();
  }

  @Test
  void becomeProbeAfterSnapshotRestartsPastTheSnapshot() {
    Progress pr = progress(1, 5);
    pr.becomeSnapshot(10);
    pr.becomeProbe();
    assertThat(pr.next()).isEqualTo(11);
    assertThat(pr.pendingSnapshot()).isZero();

    Progress ahead = progress(20, 21);
    ahead.becomeSnapshot(10);
    ahead.becomeProbe();
    assertThat(ahead.next()).isEqualTo(21);
  }

  @Test
  void becomeReplicateStreamsFromAfterMatch() {
    Progress pr = progress(3, 4);
    pr.probeSent(true);
    pr.becomeReplicate();
    assertThat(pr.state()).isEqualTo(ProgressState.REPLICATE);
    assertThat(pr.next()).isEqualTo(4);
    assertThat(pr.probeSent()).isFalse();
  }

  @Test
  void becomeSnapshotRecordsThePendingSnapshot() {
    Progress pr = progress(3, 4);
    pr.probeSent(true);
    pr.becomeSnapshot(42);
    assertThat(pr.state()).isEqualTo(ProgressState.SNAPSHOT);
    assertThat(pr.pendingSnapshot()).isEqualTo(42);
    assertThat(pr.probeSent()).isFalse();
  }

  @Test
  void maybeUpdateAdvancesMatchAndNext() {
    Progress pr = progress(3, 5);
    pr.probeSent(true);
    assertThat(pr.maybeUpdate(4)).isTrue();
    assertThat(pr.match()).isEqualTo(4);
    assertThat(pr.next()).isEqualTo(5);
    assertThat(pr.probeSent()).isFalse();
    assertThat(pr.maybeUpdate(7)).isTrue();
    assertThat(pr.next()).isEqualTo(8);
  }

  @Test
  void maybeUpdateIgnoresStaleAcknowledgementButKeepsNext() {
    Progress pr = progress(5, 10);
    pr.probeSent(true);
    assertThat(pr.maybeUpdate(4)).isFalse();
    assertThat(pr.maybeUpdate(5)).isFalse();
    assertThat(pr.match()).isEqualTo(5);
    assertThat(pr.next()).isEqualTo(10);
    assertThat(pr.probeSent()).isTrue();
  }

  @Test
  void maybeUpdateRaisesNextEvenWithoutNewMatch() {
    Progress pr = progress(5, 5);
    assertThat(pr.maybeUpdate(5)).isFalse();
    assertThat(pr.next()).isEqualTo(6);
  }

  @Test
  void optimisticUpdateMovesNextPastTheSentEntries() {
    Progress pr = progress(1, 2);
    pr.optimisticUpdate(9);
    assertThat(pr.next()).isEqualTo(10);
    assertThat(pr.match()).isEqualTo(1);
  }

  @Test
  void maybeDecrToInReplicateIgnoresRejectionsAtOrBelowMatch() {
    Progress pr = progress(5, 10);
    pr.becomeReplicate();
    pr.optimisticUpdate(9);
    assertThat(pr.maybeDecrTo(5, 5)).isFalse();
    assertThat(pr.maybeDecrTo(4, 4)).isFalse();
    assertThat(pr.next()).isEqualTo(10);
  }

  @Test
  void maybeDecrToInReplicateFallsBackToAfterMatch() {
    Progress pr = progress(5, 10);
    pr.becomeReplicate();
    pr.optimisticUpdate(9);
    assertThat(pr.maybeDecrTo(9, 9)).isTrue();
    assertThat(pr.next()).isEqualTo(6);
  }

  @Test
  void maybeDecrToInProbeIgnoresRejectionsOfOtherThanTheLastProbe() {
    Progress pr = progress(0, 10);
    pr.probeSent(true);
    assertThat(pr.maybeDecrTo(5, 5)).isFalse();
    assertThat(pr.next()).isEqualTo(10);
    assertThat(pr.probeSent()).isTrue();
  }

  @Test
  void maybeDecrToInProbeMovesNextToTheHint() {
    Progress pr = progress(0, 10);
    pr.probeSent(true);
    assertThat(pr.maybeDecrTo(9, 4)).isTrue();
    assertThat(pr.next()).isEqualTo(5);
    assertThat(pr.probeSent()).isFalse();

    Progress longer = progress(0, 10);
    assertThat(longer.maybeDecrTo(9, 20)).isTrue();
    assertThat(longer.next()).isEqualTo(9);
  }

  @Test
  void maybeDecrToNeverGoesBelowOne() {
    Progress pr = progress(0, 1);
    assertThat(pr.maybeDecrTo(0, 0)).isTrue();
    assertThat(pr.next()).isEqualTo(1);
  }

  @Test
  void maybeDecrToInSnapshotUsesTheProbeRule() {
    Progress pr = progress(0, 10);
    pr.becomeSnapshot(20);
    assertThat(pr.maybeDecrTo(8, 3)).isFalse();
    assertThat(pr.maybeDecrTo(9, 3)).isTrue();
    assertThat(pr.next()).isEqualTo(4);
  }

  @Test
  void probeIsPausedWhileAProbeIsOut() {
    Progress pr = progress(0, 1);
    assertThat(pr.isPaused()).isFalse();
    pr.probeSent(true);
    assertThat(pr.isPaused()).isTrue();
  }

  @Test
  void replicateIsPausedWhenTheWindowIsFull() {
    Progress pr = progress(0, 1);
    pr.becomeReplicate();
    pr.probeSent(true);
    assertThat(pr.isPaused()).isFalse();
    pr.inflights().add(1);
    pr.inflights().add(2);
    assertThat(pr.isPaused()).isTrue();
  }

  @Test
  void snapshotIsAlwaysPaused() {
    Progress pr = progress(0, 1);
    pr.becomeSnapshot(1);
    assertThat(pr.isPaused()).isTrue();
  }

  @Test
  void copySharesTheInflightsButNotTheFields() {
    Progress pr = progress(3, 4);
    Progress copy = pr.copy();
    copy.isLearner(true);
    copy.match(9);
    assertThat(pr.isLearner()).isFalse();
    assertThat(pr.match()).isEqualTo(3);
    assertThat(copy.inflights()).isSameAs(pr.inflights());
  }

  @Test
  void printsLikeEtcd() {
    Progress pr = new Progress(5, 6, new Inflights(2), true, false);
    assertThat(pr).hasToString("StateProbe match=5 next=6 learner inactive");
    pr.recentActive(true);
    pr.isLearner(false);
    pr.becomeReplicate();
    pr.inflights().add(6);
    pr.inflights().add(7);
    assertThat(pr).hasToString("StateReplicate match=5 next=6 paused inflight=2[full]");
    pr.becomeSnapshot(9);
    assertThat(pr).hasToString("StateSnapshot match=5 next=6 paused pendingSnap=9");
  }
}
