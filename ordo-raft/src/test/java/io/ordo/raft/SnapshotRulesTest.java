package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

/** Snapshots: sending, installing, reporting. */
class SnapshotRulesTest {
  private static final ConfState VOTERS_123 =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).setAutoLeave(false).build();

  @Test
  void aFollowerThatNeedsCompactedEntriesReceivesAndInstallsASnapshot() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    for (int i = 0; i < 5; i++) {
      net.propose(1, "block-" + i);
    }
    net.persistAndApply(1);
    net.persistAndApply(2);
    Raft leader = net.peer(1);
    long snapIndex = leader.raftLog.applied();
    assertThat(snapIndex).isEqualTo(6);
    MemoryStorage ls = net.storage(1);
    ls.createSnapshot(snapIndex, VOTERS_123, ByteString.copyFromUtf8("block-4"));
    ls.compact(snapIndex);
    net.recover();

    net.send(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());

    assertThat(net.delivered)
        .filteredOn(m -> m.getType() == MessageType.MsgSnap)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getTo()).isEqualTo(3);
              assertThat(m.getSnapshot().getMetadata().getIndex()).isEqualTo(snapIndex);
              assertThat(m.getSnapshot().getData().toStringUtf8()).isEqualTo("block-4");
            });
    Raft follower = net.peer(3);
    assertThat(follower.raftLog.committed()).isEqualTo(snapIndex);
    assertThat(follower.raftLog.hasPendingSnapshot()).isTrue();
    assertThat(follower.raftLog.firstIndex()).isEqualTo(snapIndex + 1);
    // the leader resumes normal replication after the follower's acknowledgement
    Progress pr = leader.prs.progress().get(3L);
    assertThat(pr.match()).isEqualTo(snapIndex);
    assertThat(pr.state()).isEqualTo(ProgressState.REPLICATE);
    net.propose(1, "after");
    assertThat(follower.raftLog.lastIndex()).isEqualTo(snapIndex + 1);
  }

  @Test
  void aSnapshotIsNotSentToAFollowerThatIsNotRecentlyActive() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.propose(1, "x");
    net.persistAndApply(1);
    net.storage(1).createSnapshot(2, VOTERS_123, ByteString.copyFromUtf8("x"));
    net.storage(1).compact(2);
    Raft leader = net.peer(1);
    leader.prs.progress().get(3L).recentActive(false);
    leader.prs.progress().get(3L).becomeProbe();
    leader.bcastAppend();
    assertThat(TestNetwork.readMessages(leader))
        .extracting(Message::getType)
        .doesNotContain(MessageType.MsgSnap);
  }

  @Test
  void reportSnapshotFinishResumesProbingAfterThePendingSnapshot() {
    Raft r = leaderInSnapshotState(10);
    r.step(Messages.message(MessageType.MsgSnapStatus, 1, 2, 0).build());
    Progress pr = r.prs.progress().get(2L);
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    assertThat(pr.next()).isEqualTo(11);
    assertThat(pr.probeSent()).isTrue();
  }

  @Test
  void reportSnapshotFailureForgetsThePendingSnapshot() {
    Raft r = leaderInSnapshotState(10);
    r.step(Messages.message(MessageType.MsgSnapStatus, 1, 2, 0).setReject(true).build());
    Progress pr = r.prs.progress().get(2L);
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    assertThat(pr.pendingSnapshot()).isZero();
    assertThat(pr.next()).isEqualTo(1);
    assertThat(pr.probeSent()).isTrue();
  }

  @Test
  void reportUnreachableTurnsAReplicatingFollowerBackToProbe() {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2);
    r.step(ReplicationRulesTest.appResp(2, 1, r.term, 2));
    assertThat(r.prs.progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
    r.step(Messages.message(MessageType.MsgUnreachable, 1, 2, 0).build());
    assertThat(r.prs.progress().get(2L).state()).isEqualTo(ProgressState.PROBE);
  }

  @Test
  void aFollowerIgnoresASnapshotThatDoesNotContainIt() {
    Raft f = TestNetwork.newRaft(4, TestNetwork.storageWithVoters(1, 2, 3, 4), b -> b);
    f.becomeFollower(2, 1);
    Snapshot s = Messages.snapshot(ByteString.copyFromUtf8("b"), VOTERS_123, 10, 2);
    f.step(Messages.message(MessageType.MsgSnap, 4, 1, 2).setSnapshot(s).build());
    assertThat(f.raftLog.hasPendingSnapshot()).isFalse();
    Message resp = TestNetwork.readMessages(f).get(0);
    assertThat(resp.getIndex()).isZero();
  }

  @Test
  void aSnapshotBelowTheCommitIndexIsAnsweredWithTheCommitIndex() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.propose(1, "a");
    Raft f = net.peer(2);
    Snapshot s = Messages.snapshot(ByteString.copyFromUtf8("a"), VOTERS_123, 1, 1);
    f.step(Messages.message(MessageType.MsgSnap, 2, 1, f.term).setSnapshot(s).build());
    Message resp = TestNetwork.readMessages(f).get(0);
    assertThat(resp.getIndex()).isEqualTo(f.raftLog.committed());
    assertThat(f.raftLog.hasPendingSnapshot()).isFalse();
  }

  @Test
  void anInstalledSnapshotRebuildsTheConfigurationFromItsConfState() {
    Raft f = TestNetwork.newRaft(3, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    f.becomeFollower(2, 1);
    ConfState cs =
        ConfState.newBuilder().addVoters(1).addVoters(3).addLearners(5).setAutoLeave(false).build();
    f.step(
        Messages.message(MessageType.MsgSnap, 3, 1, 2)
            .setSnapshot(Messages.snapshot(ByteString.copyFromUtf8("s"), cs, 20, 2))
            .build());
    assertThat(f.prs.confState().getVotersList()).containsExactly(1L, 3L);
    assertThat(f.prs.confState().getLearnersList()).containsExactly(5L);
    assertThat(f.raftLog.committed()).isEqualTo(20);
  }

  private static Raft leaderInSnapshotState(long pendingSnapshot) {
    Raft r = ReplicationRulesTest.leaderWithLog(1, new long[] {1}, 2, 1, 2);
    Progress pr = r.prs.progress().get(2L);
    pr.becomeSnapshot(pendingSnapshot);
    return r;
  }
}
