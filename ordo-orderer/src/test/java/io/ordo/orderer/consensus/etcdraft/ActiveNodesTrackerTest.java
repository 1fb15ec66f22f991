package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.ProgressStatus;
import io.ordo.raft.Status;
import io.ordo.raft.tracker.ProgressState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** When a leader tells the followers which consenters are alive. */
class ActiveNodesTrackerTest {
  @Test
  void aSetIsPublishedOnceItsSizeHeldForFourTicks() {
    ActiveNodesTracker tracker = new ActiveNodesTracker();
    List<Optional<List<Long>>> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      out.add(tracker.onTick(status(1, Map.of(2L, true, 3L, true))));
    }
    assertThat(out.subList(0, 4)).allMatch(Optional::isEmpty);
    assertThat(out.get(4)).contains(List.of(1L, 2L, 3L));
    assertThat(tracker.onTick(status(1, Map.of(2L, true, 3L, true)))).isEmpty();
  }

  @Test
  void aNodeTurningInactiveRestartsTheCountThenPublishesTheSmallerSet() {
    ActiveNodesTracker tracker = new ActiveNodesTracker();
    for (int i = 0; i < 5; i++) {
      tracker.onTick(status(1, Map.of(2L, true, 3L, true)));
    }
    Optional<List<Long>> last = Optional.empty();
    int ticks = 0;
    while (last.isEmpty() && ticks < 10) {
      last = tracker.onTick(status(1, Map.of(2L, true, 3L, false)));
      ticks++;
    }
    assertThat(last).contains(List.of(1L, 2L));
    assertThat(ticks).isEqualTo(5);
  }

  @Test
  void anUnchangedSetIsPublishedAgainForFollowersThatForgotIt() {
    ActiveNodesTracker tracker = new ActiveNodesTracker();
    int published = 0;
    for (int i = 0; i < 60; i++) {
      if (tracker.onTick(status(1, Map.of(2L, true))).isPresent()) {
        published++;
      }
    }
    assertThat(published).isBetween(2, 4);
  }

  private static Status status(long self, Map<Long, Boolean> followers) {
    Map<Long, ProgressStatus> progress = new TreeMap<>();
    progress.put(self, progress(true));
    followers.forEach((id, active) -> progress.put(id, progress(active)));
    return new Status(self, null, null, 0, 0, null, progress);
  }

  private static ProgressStatus progress(boolean recentActive) {
    return new ProgressStatus(10, 11, ProgressState.REPLICATE, false, 0, recentActive, false, 0);
  }
}
