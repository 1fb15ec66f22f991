package io.ordo.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.ConfState;
import io.ordo.raft.quorum.JointConfig;
import io.ordo.raft.quorum.MajorityConfig;
import io.ordo.raft.quorum.VoteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

  /** Voters 1..3 with match = 10*id, learner 4. */
  private static ProgressTracker threeVotersAndALearner() {
    ProgressTracker t = new ProgressTracker(8);
    t.config(
        new TrackerConfig(JointConfig.of(MajorityConfig.of(1, 2, 3)), false, Set.of(4L), Set.of()));
    Map<Long, Progress> prs = new TreeMap<>();
    for (long id = 1; id <= 4; id++) {
      prs.put(id, new Progress(10 * id, 10 * id + 1, new Inflights(8), id == 4, true));
    }
    t.progress(prs);
    return t;
  }

  @Test
  void committedIsTheVotersQuorumMatch() {
    ProgressTracker t = threeVotersAndALearner();
    assertThat(t.committed()).isEqualTo(20);
    t.progress().get(4L).match(1000); // learners don't count
    assertThat(t.committed()).isEqualTo(20);
  }

  @Test
  void committedOfJointConfigIsTheMinimumOfBothHalves() {
    ProgressTracker t = threeVotersAndALearner();
    t.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(2, 3), MajorityConfig.of(1, 2)),
            false,
            Set.of(4L),
            Set.of()));
    assertThat(t.committed()).isEqualTo(10);
  }

  @Test
  void tallyCountsFirstVoteOfEachVoter() {
    ProgressTracker t = threeVotersAndALearner();
    t.recordVote(1, true);
    t.recordVote(1, false);
    t.recordVote(2, false);
    assertThat(t.tallyVotes()).isEqualTo(new TallyResult(1, 1, VoteResult.PENDING));
    t.recordVote(3, true);
    assertThat(t.tallyVotes()).isEqualTo(new TallyResult(2, 1, VoteResult.WON));
  }

  @Test
  void tallyIgnoresLearnersAndUnknownNodes() {
    ProgressTracker t = threeVotersAndALearner();
    t.recordVote(4, true);
    t.recordVote(9, true);
    t.recordVote(1, false);
    t.recordVote(2, false);
    assertThat(t.tallyVotes()).isEqualTo(new TallyResult(0, 2, VoteResult.LOST));
  }

  @Test
  void resetVotesStartsANewElection() {
    ProgressTracker t = threeVotersAndALearner();
    t.recordVote(1, false);
    t.resetVotes();
    t.recordVote(1, true);
    assertThat(t.votes()).containsExactlyEntriesOf(Map.of(1L, true));
    assertThat(t.tallyVotes()).isEqualTo(new TallyResult(1, 0, VoteResult.PENDING));
  }

  @Test
  void quorumIsActiveWhenRecentlyActiveVotersFormAMajority() {
    ProgressTracker t = threeVotersAndALearner();
    t.progress().get(1L).recentActive(false);
    assertThat(t.quorumActive()).isTrue();
    t.progress().get(2L).recentActive(false);
    assertThat(t.quorumActive()).isFalse();
    // an active learner does not make up for an inactive voter
    t.progress().get(4L).recentActive(true);
    assertThat(t.quorumActive()).isFalse();
  }

  @Test
  void confStateListsEveryRoleAscendingWithAutoLeaveSet() {
    ProgressTracker t = new ProgressTracker(4);
    t.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(3, 1), MajorityConfig.of(2, 1)),
            true,
            Set.of(6L, 5L),
            Set.of(2L)));
    ConfState cs = t.confState();
    assertThat(cs.getVotersList()).containsExactly(1L, 3L);
    assertThat(cs.getVotersOutgoingList()).containsExactly(1L, 2L);
    assertThat(cs.getLearnersList()).containsExactly(5L, 6L);
    assertThat(cs.getLearnersNextList()).containsExactly(2L);
    assertThat(cs.hasAutoLeave()).isTrue();
    assertThat(cs.getAutoLeave()).isTrue();
  }

  @Test
  void confStateOfEmptyTrackerEncodesOnlyAutoLeave() {
    assertThat(new ProgressTracker(1).confState().toByteArray()).containsExactly(0x28, 0x00);
  }

  @Test
  void singletonIsOneVoterOutsideAJointPhase() {
    ProgressTracker t = new ProgressTracker(1);
    t.config(new TrackerConfig(JointConfig.of(MajorityConfig.of(1)), false, Set.of(2L), null));
    assertThat(t.isSingleton()).isTrue();
    t.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(1), MajorityConfig.of(2)), false, null, null));
    assertThat(t.isSingleton()).isFalse();
    assertThat(threeVotersAndALearner().isSingleton()).isFalse();
  }

  @Test
  void voterAndLearnerNodesAreSorted() {
    ProgressTracker t = new ProgressTracker(1);
    t.config(
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(5, 1), MajorityConfig.of(3, 1)),
            false,
            Set.of(9L, 7L),
            Set.of()));
    assertThat(t.voterNodes()).containsExactly(1, 3, 5);
    assertThat(t.learnerNodes()).containsExactly(7, 9);
    assertThat(new ProgressTracker(1).learnerNodes()).isEmpty();
  }

  @Test
  void visitGoesInAscendingIdOrder() {
    ProgressTracker t = new ProgressTracker(1);
    Map<Long, Progress> prs = new HashMap<>();
    for (long id : new long[] {17, 3, 250, 42, 1, 99, 8, 1000, 5}) {
      prs.put(id, new Progress(0, 1, new Inflights(1), false, true));
    }
    t.progress(prs);
    List<Long> seen = new ArrayList<>();
    t.visit((id, pr) -> seen.add(id));
    assertThat(seen).containsExactly(1L, 3L, 5L, 8L, 17L, 42L, 99L, 250L, 1000L);
  }

  @Test
  void configPrintsLikeEtcd() {
    TrackerConfig c =
        new TrackerConfig(
            new JointConfig(MajorityConfig.of(1, 2), MajorityConfig.of(1)),
            true,
            Set.of(3L),
            Set.of(4L));
    assertThat(c).hasToString("voters=(1 2)&&(1) learners=(3) learners_next=(4) autoleave");
    assertThat(TrackerConfig.empty()).hasToString("voters=()");
  }
}
