package io.ordo.raft.confchange;

import static io.ordo.raft.confchange.Changes.install;
import static io.ordo.raft.confchange.Changes.parse;
import static io.ordo.raft.confchange.Changes.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.quorum.JointConfig;
import io.ordo.raft.quorum.MajorityConfig;
import io.ordo.raft.tracker.Inflights;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressTracker;
import io.ordo.raft.tracker.TrackerConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangerTest {
  private final ProgressTracker tracker = new ProgressTracker(5);
  private long lastIndex = 10;

  /** Applies a simple change at the current last index, installs it, and advances the index. */
  private Changer.Result simple(String spec) {
    return installed(new Changer(tracker, lastIndex).simple(parse(spec)));
  }

  private Changer.Result enterJoint(boolean autoLeave, String spec) {
    return installed(new Changer(tracker, lastIndex).enterJoint(autoLeave, parse(spec)));
  }

  private Changer.Result leaveJoint() {
    return installed(new Changer(tracker, lastIndex).leaveJoint());
  }

  private Changer.Result installed(Changer.Result r) {
    install(tracker, r);
    lastIndex++;
    return r;
  }

  private Changer changer() {
    return new Changer(tracker, lastIndex);
  }

  @Test
  void addVoterToEmptyConfigProbesFromTheLastIndex() {
    Changer.Result r = simple("v1");
    assertThat(render(r)).isEqualTo("voters=(1)\n1: StateProbe match=0 next=10");
    Progress pr = r.progress().get(1L);
    assertThat(pr.recentActive()).isTrue();
    assertThat(pr.isLearner()).isFalse();
    assertThat(pr.inflights().capacity()).isEqualTo(5);
  }

  @Test
  void addVoterOneAtATime() {
    simple("v1");
    Changer.Result r = simple("v2");
    assertThat(render(r))
        .isEqualTo("voters=(1 2)\n1: StateProbe match=0 next=10\n2: StateProbe match=0 next=11");
  }

  @Test
  void addExistingVoterChangesNothing() {
    simple("v1");
    tracker.progress().get(1L).match(7);
    Changer.Result r = simple("v1");
    assertThat(render(r)).isEqualTo("voters=(1)\n1: StateProbe match=7 next=10");
  }

  @Test
  void removeVoterDropsItsProgress() {
    simple("v1");
    simple("v2");
    Changer.Result r = simple("r2");
    assertThat(render(r)).isEqualTo("voters=(1)\n1: StateProbe match=0 next=10");
  }

  @Test
  void removeUnknownNodeChangesNothing() {
    simple("v1");
    assertThat(render(simple("r7"))).isEqualTo("voters=(1)\n1: StateProbe match=0 next=10");
  }

  @Test
  void addLearner() {
    simple("v1");
    Changer.Result r = simple("l2");
    assertThat(render(r))
        .isEqualTo(
            "voters=(1) learners=(2)\n"
                + "1: StateProbe match=0 next=10\n"
                + "2: StateProbe match=0 next=11 learner");
    assertThat(r.progress().get(2L).isLearner()).isTrue();
  }

  @Test
  void promoteLearnerKeepsItsProgress() {
    simple("v1");
    simple("l2");
    tracker.progress().get(2L).match(4);
    Changer.Result r = simple("v2");
    assertThat(render(r))
        .isEqualTo("voters=(1 2)\n1: StateProbe match=0 next=10\n2: StateProbe match=4 next=11");
  }

  @Test
  void demoteVoterOutsideJointConfigMakesALearnerRightAway() {
    simple("v1");
    simple("v2");
    Changer.Result r = simple("l2");
    assertThat(render(r))
        .isEqualTo(
            "voters=(1) learners=(2)\n"
                + "1: StateProbe match=0 next=10\n"
                + "2: StateProbe match=0 next=11 learner");
  }

  @Test
  void demoteVoterInJointConfigStagesItInLearnersNext() {
    simple("v1");
    Changer.Result joint = enterJoint(false, "v2 l1");
    assertThat(render(joint))
        .isEqualTo(
            "voters=(2)&&(1) learners_next=(1)\n"
                + "1: StateProbe match=0 next=10\n"
                + "2: StateProbe match=0 next=11");
    assertThat(joint.progress().get(1L).isLearner()).isFalse();

    Changer.Result left = leaveJoint();
    assertThat(render(left))
        .isEqualTo(
            "voters=(2) learners=(1)\n"
                + "1: StateProbe match=0 next=10 learner\n"
                + "2: StateProbe match=0 next=11");
  }

  @Test
  void newLearnerInJointConfigIsAddedRightAway() {
    simple("v1");
    Changer.Result r = enterJoint(true, "v2 l3");
    assertThat(r.config()).hasToString("voters=(1 2)&&(1) learners=(3) autoleave");
    assertThat(r.config().autoLeave()).isTrue();
  }

  @Test
  void enterJointCopiesVotersIntoOutgoingAndAppliesChangesToIncoming() {
    simple("v1");
    simple("v2");
    simple("v3");
    Changer.Result r = enterJoint(false, "r1 v4 v5");
    assertThat(r.config().voters())
        .isEqualTo(new JointConfig(MajorityConfig.of(2, 3, 4, 5), MajorityConfig.of(1, 2, 3)));
    // 1 still votes in the outgoing half: its progress stays until the joint phase ends.
    assertThat(r.progress()).containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
    assertThat(r.config().autoLeave()).isFalse();
  }

  @Test
  void leaveJointDropsNodesThatAreNoLongerMembers() {
    simple("v1");
    simple("v2");
    enterJoint(true, "r1 v3");
    Changer.Result r = leaveJoint();
    assertThat(r.config()).hasToString("voters=(2 3)");
    assertThat(r.config().autoLeave()).isFalse();
    assertThat(r.progress()).containsOnlyKeys(2L, 3L);
  }

  @Test
  void removedVoterKeepsItsProgressUntilTheJointPhaseEnds() {
    simple("v1");
    simple("v2");
    tracker.progress().get(2L).match(9);
    Changer.Result joint = enterJoint(false, "r2");
    assertThat(joint.config()).hasToString("voters=(1)&&(1 2)");
    assertThat(joint.progress().get(2L).match()).isEqualTo(9);
    assertThat(leaveJoint().progress()).containsOnlyKeys(1L);
  }

  @Test
  void enterJointTwiceIsRefused() {
    simple("v1");
    enterJoint(false, "v2");
    assertThatThrownBy(() -> changer().enterJoint(false, parse("v3")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("config is already joint");
  }

  @Test
  void enterJointFromZeroVotersIsRefused() {
    assertThatThrownBy(() -> changer().enterJoint(false, parse("v1")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("can't make a zero-voter config joint");
  }

  @Test
  void leaveNonJointConfigIsRefused() {
    simple("v1");
    assertThatThrownBy(() -> changer().leaveJoint())
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("can't leave a non-joint config");
  }

  @Test
  void simpleChangeInJointConfigIsRefused() {
    simple("v1");
    enterJoint(false, "v2");
    assertThatThrownBy(() -> changer().simple(parse("v3")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("can't apply simple config change in joint config");
  }

  @Test
  void simpleChangeOfMoreThanOneVoterIsRefused() {
    simple("v1");
    simple("v2");
    for (String spec : List.of("v3 v4", "r1 v5", "l1 v5", "r1 r2 v3")) {
      assertThatThrownBy(() -> changer().simple(parse(spec)))
          .as(spec)
          .isInstanceOf(ConfChangeException.class)
          .hasMessage("more than one voter changed without entering joint config");
    }
  }

  @Test
  void simpleChangeMayAddManyLearners() {
    simple("v1");
    Changer.Result r = simple("l2 l3 l4");
    assertThat(r.config()).hasToString("voters=(1) learners=(2 3 4)");
  }

  @Test
  void removingAllVotersIsRefused() {
    assertThatThrownBy(() -> changer().simple(parse("l1")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("removed all voters");
    simple("v1");
    assertThatThrownBy(() -> changer().simple(parse("r1")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("removed all voters");
    assertThatThrownBy(() -> changer().enterJoint(false, parse("l1")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("removed all voters");
  }

  @Test
  void changesForNodeZeroAreIgnored() {
    simple("v1");
    Changer.Result r = simple("v0 l0 r0");
    assertThat(r.config()).hasToString("voters=(1)");
  }

  @Test
  void updateNodeChangesNothing() {
    simple("v1");
    Changer.Result r = simple("u1 u2");
    assertThat(render(r)).isEqualTo("voters=(1)\n1: StateProbe match=0 next=10");
  }

  @Test
  void unknownChangeTypeIsRefused() {
    simple("v1");
    ConfChangeSingle unknownType =
        ConfChangeSingle.newBuilder()
            .setNodeId(2)
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        ConfChangeSingle.TYPE_FIELD_NUMBER,
                        UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                    .build())
            .build();
    assertThatThrownBy(() -> changer().simple(List.of(unknownType)))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("unexpected conf type 7");
  }

  @Test
  void changerDoesNotModifyTheTracker() {
    simple("v1");
    simple("v2");
    TrackerConfig before = tracker.config();
    Progress pr2 = tracker.progress().get(2L);
    Changer.Result r = changer().simple(parse("l2"));
    assertThat(tracker.config()).isEqualTo(before);
    assertThat(pr2.isLearner()).isFalse();
    assertThat(tracker.progress()).containsOnlyKeys(1L, 2L);
    assertThat(r.progress().get(2L)).isNotSameAs(pr2);
    // the in-flight window stays the one the leader is using
    assertThat(r.progress().get(2L).inflights()).isSameAs(pr2.inflights());
  }

  @Test
  void trackerThatBreaksInvariantsIsRefused() {
    tracker.config(
        new TrackerConfig(JointConfig.of(MajorityConfig.of(1)), false, Set.of(), Set.of()));
    assertThatThrownBy(() -> changer().simple(parse("v2")))
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("no progress for 1");

    Map<Long, Progress> prs =
        Map.of(
            1L, new Progress(0, 1, new Inflights(1), false, true),
            2L, new Progress(0, 1, new Inflights(1), false, true));
    tracker.progress(prs);
    tracker.config(
        new TrackerConfig(JointConfig.of(MajorityConfig.of(1)), false, Set.of(2L), Set.of()));
    assertThatThrownBy(() -> changer().simple(parse("v3")))
        .hasMessage("2 is in Learners, but is not marked as learner");

    tracker.config(
        new TrackerConfig(JointConfig.of(MajorityConfig.of(1, 2)), false, Set.of(2L), Set.of()));
    assertThatThrownBy(() -> changer().simple(parse("v3")))
        .hasMessage("2 is in Learners and Voters[0]");

    tracker.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(1), MajorityConfig.of(2)), false, Set.of(2L), null));
    assertThatThrownBy(() -> changer().leaveJoint()).hasMessage("2 is in Learners and Voters[1]");

    tracker.config(
        new TrackerConfig(JointConfig.of(MajorityConfig.of(1)), false, null, Set.of(2L)));
    assertThatThrownBy(() -> changer().simple(parse("v3")))
        .hasMessage("2 is in LearnersNext, but not Voters[1]");

    tracker.config(new TrackerConfig(JointConfig.of(MajorityConfig.of(1)), true, null, null));
    assertThatThrownBy(() -> changer().simple(parse("v3")))
        .hasMessage("AutoLeave must be false when not joint");
  }

  @Test
  void stagedLearnerAlreadyMarkedAsLearnerIsRefused() {
    Map<Long, Progress> prs =
        Map.of(
            1L, new Progress(0, 1, new Inflights(1), false, true),
            2L, new Progress(0, 1, new Inflights(1), true, true));
    tracker.progress(prs);
    tracker.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(1), MajorityConfig.of(1, 2)),
            false,
            null,
            Set.of(2L)));
    assertThatThrownBy(() -> changer().leaveJoint())
        .isInstanceOf(ConfChangeException.class)
        .hasMessage("2 is in LearnersNext, but is already marked as learner");
  }
}
