package io.ordo.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Any configuration reachable through valid changes survives a trip through its {@link ConfState}:
 * restoring it yields the same conf state, the same members and the same learner flags.
 */
class RestoreProperties {

  enum Step {
    SIMPLE,
    ENTER_JOINT,
    ENTER_JOINT_AUTO_LEAVE,
    LEAVE_JOINT
  }

  record Change(Step step, List<ConfChangeSingle> changes) {}

  @Provide
  Arbitrary<List<Change>> histories() {
    Arbitrary<ConfChangeSingle> single =
        Combinators.combine(
                Arbitraries.of(
                    ConfChangeType.ConfChangeAddNode,
                    ConfChangeType.ConfChangeAddLearnerNode,
                    ConfChangeType.ConfChangeRemoveNode,
                    ConfChangeType.ConfChangeUpdateNode),
                Arbitraries.longs().between(1, 6))
            .as((type, id) -> ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build());
    Arbitrary<Step> steps =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(Step.SIMPLE)),
            Tuple.of(2, Arbitraries.just(Step.ENTER_JOINT)),
            Tuple.of(2, Arbitraries.just(Step.ENTER_JOINT_AUTO_LEAVE)),
            Tuple.of(2, Arbitraries.just(Step.LEAVE_JOINT)));
    Arbitrary<Change> change =
        Combinators.combine(steps, single.list().ofMinSize(1).ofMaxSize(4)).as(Change::new);
    return change.list().ofMaxSize(25);
  }

  @Property(tries = 1000)
  void restoreOfReachableConfStateRoundTrips(@ForAll("histories") List<Change> history) {
    ProgressTracker live = new ProgressTracker(4);
    long lastIndex = 1;
    for (Change c : history) {
      Changer chg = new Changer(live, lastIndex++);
      try {
        Changer.Result r =
            switch (c.step()) {
              case SIMPLE -> chg.simple(c.changes());
              case ENTER_JOINT -> chg.enterJoint(false, c.changes());
              case ENTER_JOINT_AUTO_LEAVE -> chg.enterJoint(true, c.changes());
              case LEAVE_JOINT -> chg.leaveJoint();
            };
        Changes.install(live, r);
      } catch (ConfChangeException refused) {
        // an invalid change leaves the configuration as it was; keep going from there
      }
    }
    ConfState cs = live.confState();
    Statistics.label("shape")
        .collect(
            cs.getVotersOutgoingCount() > 0
                ? (cs.getLearnersNextCount() > 0 ? "joint with learners_next" : "joint")
                : "simple");

    ProgressTracker restored = new ProgressTracker(4);
    Changes.install(restored, Restore.restore(new Changer(restored, lastIndex), cs));

    assertThat(restored.confState()).isEqualTo(cs);
    assertThat(restored.config()).isEqualTo(live.config());
    assertThat(restored.progress().keySet()).isEqualTo(live.progress().keySet());
    for (Map.Entry<Long, Progress> e : live.progress().entrySet()) {
      assertThat(restored.progress().get(e.getKey()).isLearner())
          .as("learner flag of %d", e.getKey())
          .isEqualTo(e.getValue().isLearner());
    }

    ProgressTracker shuffled = new ProgressTracker(4);
    Changes.install(shuffled, Restore.restore(new Changer(shuffled, lastIndex), reversed(cs)));
    assertThat(shuffled.confState()).isEqualTo(cs);

    // the generator must keep reaching the interesting shapes, or the property proves little
    Statistics.label("shape")
        .coverage(
            coverage -> {
              coverage.check("joint").percentage(p -> p > 5);
              coverage.check("joint with learners_next").percentage(p -> p > 1);
            });
  }

  private static ConfState reversed(ConfState cs) {
    return ConfState.newBuilder()
        .addAllVoters(reverse(cs.getVotersList()))
        .addAllLearners(reverse(cs.getLearnersList()))
        .addAllVotersOutgoing(reverse(cs.getVotersOutgoingList()))
        .addAllLearnersNext(reverse(cs.getLearnersNextList()))
        .setAutoLeave(cs.getAutoLeave())
        .build();
  }

  private static List<Long> reverse(List<Long> ids) {
    List<Long> copy = new ArrayList<>(ids);
    Collections.reverse(copy);
    return copy;
  }
}
