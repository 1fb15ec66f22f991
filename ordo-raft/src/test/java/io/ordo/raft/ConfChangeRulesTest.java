package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeTransition;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Membership changes: each ConfChange kind, joint consensus, learners, removed leaders. */
class ConfChangeRulesTest {

  private static ConfChangeV2 v1(ConfChangeType type, long node) {
    return io.ordo.raft.confchange.ConfChanges.asV2(Messages.confChange(type, node, null));
  }

  @Test
  void addNodeMakesANewVoterProbedFromTheLeadersLastIndex() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1, 1}, 2, 1, 2);
    long last = r.raftLog.lastIndex();
    ConfState cs = r.applyConfChange(v1(ConfChangeType.ConfChangeAddNode, 3));
    assertThat(cs.getVotersList()).containsExactly(1L, 2L, 3L);
    Progress pr = r.prs.progress().get(3L);
    assertThat(pr.next()).isEqualTo(last);
    assertThat(pr.match()).isZero();
    assertThat(pr.recentActive()).isTrue();
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    // the leader probes the new member at once
    assertThat(TestNetwork.readMessages(r)).anySatisfy(m -> assertThat(m.getTo()).isEqualTo(3));
  }

  @Test
  void addNodeOfAnExistingVoterChangesNothing() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2);
    ConfState cs = r.applyConfChange(v1(ConfChangeType.ConfChangeAddNode, 2));
    assertThat(cs.getVotersList()).containsExactly(1L, 2L);
  }

  @Test
  void removeNodeShrinksTheQuorumAndCommitsWhatTheRestHold() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2, 3);
    r.step(
        Messages.message(MessageType.MsgProp, 1, 1, 0)
            .addEntries(Messages.proposal(com.google.protobuf.ByteString.copyFromUtf8("x")))
            .build());
    // nobody acknowledged: nothing of term 2 is committed with 3 voters
    assertThat(r.raftLog.committed()).isZero();
    r.applyConfChange(v1(ConfChangeType.ConfChangeRemoveNode, 2));
    r.applyConfChange(v1(ConfChangeType.ConfChangeRemoveNode, 3));
    assertThat(r.prs.confState().getVotersList()).containsExactly(1L);
    assertThat(r.raftLog.committed()).isEqualTo(r.raftLog.lastIndex());
  }

  @Test
  void updateNodeKeepsTheMembership() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2);
    ConfState cs = r.applyConfChange(v1(ConfChangeType.ConfChangeUpdateNode, 2));
    assertThat(cs.getVotersList()).containsExactly(1L, 2L);
    assertThat(cs.getLearnersCount()).isZero();
  }

  @Test
  void learnersReceiveTheLogButNeverVoteNorCampaign() {
    TestNetwork net = TestNetwork.of(3);
    for (long id = 1; id <= 3; id++) {
      net.peer(id).applyConfChange(v1(ConfChangeType.ConfChangeAddLearnerNode, 3));
    }
    assertThat(net.peer(3).promotable()).isFalse();
    assertThat(net.peer(3).isLearner).isTrue();
    // a learner does not campaign however long it waits
    for (int i = 0; i < 100; i++) {
      net.peer(3).tick();
    }
    assertThat(net.peer(3).state).isEqualTo(StateType.FOLLOWER);
    assertThat(TestNetwork.readMessages(net.peer(3))).isEmpty();
    net.hup(1);
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    assertThat(net.delivered)
        .filteredOn(m -> m.getType() == MessageType.MsgVote)
        .extracting(Message::getTo)
        .containsOnly(2L);
    net.propose(1, "to the learner too");
    assertThat(net.peer(3).raftLog.lastIndex()).isEqualTo(net.peer(1).raftLog.lastIndex());
    // a learner's acknowledgement does not count towards the quorum
    assertThat(net.peer(1).prs.confState().getVotersList()).containsExactly(1L, 2L);
  }

  @Test
  void aSecondConfChangeIsReplacedByAnEmptyEntryWhileOneIsPending() {
    // a single voter commits at once; once its no-op is applied it may take a conf change
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1);
    r.raftLog.appliedTo(r.raftLog.committed());
    ConfChange cc = Messages.confChange(ConfChangeType.ConfChangeAddNode, 3, null);
    Entry e = Messages.entry(0, 0, EntryType.EntryConfChange, cc.toByteString());
    r.step(Messages.message(MessageType.MsgProp, 1, 1, 0).addEntries(e).build());
    r.step(Messages.message(MessageType.MsgProp, 1, 1, 0).addEntries(e).build());
    List<Entry> ents = r.raftLog.allEntries();
    Entry first = ents.get(ents.size() - 2);
    Entry second = ents.get(ents.size() - 1);
    assertThat(first.getType()).isEqualTo(EntryType.EntryConfChange);
    assertThat(second.getType()).isEqualTo(EntryType.EntryNormal);
    assertThat(second.hasData()).isFalse();
    assertThat(r.pendingConfIndex).isEqualTo(first.getIndex());
  }

  @Test
  void aNewLeaderRefusesConfChangesUntilItHasAppliedItsWholeLog() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1);
    ConfChange cc = Messages.confChange(ConfChangeType.ConfChangeAddNode, 3, null);
    r.step(
        Messages.message(MessageType.MsgProp, 1, 1, 0)
            .addEntries(Messages.entry(0, 0, EntryType.EntryConfChange, cc.toByteString()))
            .build());
    List<Entry> ents = r.raftLog.allEntries();
    assertThat(ents.get(ents.size() - 1).getType()).isEqualTo(EntryType.EntryNormal);
  }

  @Test
  void aRemovedLeaderTellsTheOthersItsCommitIndexThenStepsDown() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2, 3);
    r.step(ReplicationRulesTest.appResp(2, 1, r.term, 2));
    TestNetwork.readMessages(r);
    r.applyConfChange(v1(ConfChangeType.ConfChangeRemoveNode, 1));
    assertThat(r.state).isEqualTo(StateType.FOLLOWER);
    assertThat(r.promotable()).isFalse();
    assertThat(TestNetwork.readMessages(r))
        .filteredOn(m -> m.getType() == MessageType.MsgApp)
        .extracting(Message::getTo, Message::getCommit)
        .contains(org.assertj.core.groups.Tuple.tuple(2L, 2L));
  }

  @Test
  void aRemovedLeaderKeepsLeadingWhenStepDownOnRemovalIsOffAsInEtcd35() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2, 3);
    Raft r = TestNetwork.newRaft(1, ms, b -> b.stepDownOnRemoval(false));
    r.becomeCandidate();
    r.becomeLeader();
    r.applyConfChange(v1(ConfChangeType.ConfChangeRemoveNode, 1));
    assertThat(r.state).isEqualTo(StateType.LEADER);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                r.step(
                    Messages.message(MessageType.MsgProp, 1, 1, 0)
                        .addEntries(
                            Messages.proposal(com.google.protobuf.ByteString.copyFromUtf8("x")))
                        .build()))
        .isInstanceOf(ProposalDroppedException.class);
  }

  @Test
  void confChangeV2WithTwoVotersEntersJointConsensusAndLeavesItAutomatically() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1);
    RawNode n =
        new RawNode(Config.builder(1, ms).random(new java.util.SplittableRandom(1)).build());
    n.campaign();
    RawNodeHarness h = new RawNodeHarness(n, ms);
    h.drain();
    assertThat(n.status().raftState()).isEqualTo(StateType.LEADER);
    ConfChangeV2 cc =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddNode)
                    .setNodeId(2))
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddLearnerNode)
                    .setNodeId(3))
            .build();
    n.proposeConfChange(cc);
    h.drain();
    // entering joint: the outgoing config keeps {1}; leaving happens automatically
    assertThat(h.confStates).hasSize(1);
    ConfState joint = h.confStates.get(0);
    assertThat(joint.getVotersList()).containsExactly(1L, 2L);
    assertThat(joint.getVotersOutgoingList()).containsExactly(1L);
    assertThat(joint.getAutoLeave()).isTrue();
    // node 2 never answers: the joint config needs both halves, so the leave entry waits
    assertThat(n.status().config().voters().isJoint()).isTrue();
    assertThat(h.lastEntryType()).isEqualTo(EntryType.EntryConfChangeV2);
  }

  @Test
  void aSingleVoterChangeThroughConfChangeV2IsSimple() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1);
    RawNode n = new RawNode(Config.builder(1, ms).build());
    n.campaign();
    RawNodeHarness h = new RawNodeHarness(n, ms);
    h.drain();
    n.proposeConfChange(
        ConfChangeV2.newBuilder()
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddLearnerNode)
                    .setNodeId(2))
            .build());
    h.drain();
    ConfState cs = h.confStates.get(h.confStates.size() - 1);
    assertThat(cs.getVotersList()).containsExactly(1L);
    assertThat(cs.getLearnersList()).containsExactly(2L);
    assertThat(cs.getVotersOutgoingCount()).isZero();
  }
}
