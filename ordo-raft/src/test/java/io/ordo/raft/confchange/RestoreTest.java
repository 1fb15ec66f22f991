package io.ordo.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.raft.pb.ConfState;
import io.ordo.raft.tracker.ProgressTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreTest {

  private static ConfState cs(
      List<Long> voters,
      List<Long> learners,
      List<Long> outgoing,
      List<Long> learnersNext,
      boolean autoLeave) {
    return ConfState.newBuilder()
        .addAllVoters(voters)
        .addAllLearners(learners)
        .addAllVotersOutgoing(outgoing)
        .addAllLearnersNext(learnersNext)
        .setAutoLeave(autoLeave)
        .build();
  }

  private static ProgressTracker restored(ConfState cs) {
    ProgressTracker tracker = new ProgressTracker(3);
    Changer.Result r = Restore.restore(new Changer(tracker, 20), cs);
    Changes.install(tracker, r);
    return tracker;
  }

  @Test
  void restoreOfEmptyConfStateIsEmpty() {
    ProgressTracker t = restored(ConfState.newBuilder().setAutoLeave(false).build());
    assertThat(t.confState()).isEqualTo(ConfState.newBuilder().setAutoLeave(false).build());
    assertThat(t.progress()).isEmpty();
  }

  @Test
  void restoreOfSimpleConfigRoundTrips() {
    ConfState in = cs(List.of(1L, 2L, 3L), List.of(), List.of(), List.of(), false);
    assertThat(restored(in).confState()).isEqualTo(in);
  }

  @Test
  void restoreOfConfigWithLearnersRoundTrips() {
    ConfState in = cs(List.of(1L, 2L, 3L), List.of(8L, 9L), List.of(), List.of(), false);
    ProgressTracker t = restored(in);
    assertThat(t.confState()).isEqualTo(in);
    assertThat(t.progress().get(8L).isLearner()).isTrue();
    assertThat(t.progress().get(1L).next()).isEqualTo(20);
  }

  @Test
  void restoreOfJointConfigRoundTrips() {
    ConfState in = cs(List.of(1L, 2L, 3L), List.of(5L), List.of(1L, 2L, 4L, 6L), List.of(4L), true);
    ProgressTracker t = restored(in);
    assertThat(t.confState()).isEqualTo(in);
    assertThat(t.config())
        .hasToString("voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4) autoleave");
  }

  @Test
  void restoreAcceptsIdsInAnyOrder() {
    ConfState in = cs(List.of(3L, 1L, 2L), List.of(9L, 8L), List.of(), List.of(), false);
    assertThat(ConfChanges.equivalent(restored(in).confState(), in)).isTrue();
  }

  @Test
  void restoreLeavesTheGivenTrackerUntouched() {
    ProgressTracker tracker = new ProgressTracker(3);
    Restore.restore(
        new Changer(tracker, 1), cs(List.of(1L, 2L), List.of(), List.of(), List.of(), false));
    assertThat(tracker.progress()).isEmpty();
    assertThat(tracker.config().voters().incoming().isEmpty()).isTrue();
  }

  @Test
  void restoreOfInvalidConfStateFails() {
    // a node can't be both voter and learner
    ConfState both = cs(List.of(1L, 2L), List.of(2L), List.of(), List.of(), false);
    ProgressTracker t = restored(both);
    // etcd's Restore turns the duplicate into a demotion; it must not be reported as the input.
    assertThat(ConfChanges.equivalent(t.confState(), both)).isFalse();

    ConfState onlyLearners = cs(List.of(), List.of(1L), List.of(), List.of(), false);
    assertThatThrownBy(() -> restored(onlyLearners))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("removed all voters");
  }
}
