package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log replication: commit rule, heartbeats, fast backtracking, paging and flow control. */
class ReplicationRulesTest {

  static Raft leaderWithLog(long id, long[] terms, long newTerm, long... voters) {
    MemoryStorage ms = TestNetwork.storageWithVoters(voters);
    List<Entry> ents = new java.util.ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      ents.add(Messages.entry(terms[i], i + 1));
    }
    ms.append(ents);
    ms.setHardState(Messages.hardState(newTerm - 1, 0, 0));
    Raft r = TestNetwork.newRaft(id, ms, b -> b);
    r.becomeCandidate();
    r.becomeLeader();
    TestNetwork.readMessages(r);
    return r;
  }

  static Message appResp(long from, long to, long term, long index) {
    return Messages.message(MessageType.MsgAppResp, to, from, term).setIndex(index).build();
  }

  @Test
  void onlyEntriesOfTheCurrentTermAreCommittedByCountingReplicas() {
    // log (1,1) (2,2); the leader is elected at term 3 and appends (3,3)
    long[][] cases = {{1, 0}, {2, 0}, {3, 3}};
    for (long[] c : cases) {
      Raft r = leaderWithLog(1, new long[] {1, 2}, 3, 1, 2, 3);
      assertThat(r.term).isEqualTo(3);
      r.step(appResp(2, 1, r.term, c[0]));
      assertThat(r.raftLog.committed()).as("ack of index %d", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void heartbeatsCarryTheMinimumOfMatchAndCommit() {
    Raft r = leaderWithLog(1, new long[] {1, 1, 1}, 2, 1, 2, 3);
    r.step(appResp(2, 1, r.term, 4)); // commits 4 with 1 and 2
    assertThat(r.raftLog.committed()).isEqualTo(4);
    TestNetwork.readMessages(r);
    r.step(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());
    List<Message> hbs = TestNetwork.readMessages(r);
    assertThat(hbs).extracting(Message::getType).containsOnly(MessageType.MsgHeartbeat);
    assertThat(hbs.stream().filter(m -> m.getTo() == 2).findFirst().orElseThrow().getCommit())
        .isEqualTo(4);
    assertThat(hbs.stream().filter(m -> m.getTo() == 3).findFirst().orElseThrow().getCommit())
        .isZero();
  }

  @Test
  void aFollowerRejectsAnAppendThatDoesNotMatchWithAHintOfTermAndIndex() {
    // follower log terms: 1 3 3 3 3 (indexes 1..5); the leader probes index 5 with log term 2
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2, 3);
    ms.append(
        List.of(
            Messages.entry(1, 1),
            Messages.entry(3, 2),
            Messages.entry(3, 3),
            Messages.entry(3, 4),
            Messages.entry(3, 5)));
    Raft f = TestNetwork.newRaft(2, ms, b -> b);
    f.becomeFollower(4, 1);
    f.step(Messages.message(MessageType.MsgApp, 2, 1, 4).setIndex(5).setLogTerm(2).build());
    Message resp = TestNetwork.readMessages(f).get(0);
    assertThat(resp.getReject()).isTrue();
    assertThat(resp.getIndex()).isEqualTo(5);
    assertThat(resp.getRejectHint()).isEqualTo(1);
    assertThat(resp.getLogTerm()).isEqualTo(1);
  }

  @Test
  void fastBacktrackingSkipsAWholeConflictingTermInOneRoundTrip() {
    // leader: 1 1 2 2 2 + its new (5); follower: 1 1 3 3 3 3 3 3 (uncommitted, divergent)
    Raft leader = leaderWithLog(1, new long[] {1, 1, 2, 2, 2}, 5, 1, 2);
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2);
    List<Entry> fents = new java.util.ArrayList<>();
    long[] fterms = {1, 1, 3, 3, 3, 3, 3, 3};
    for (int i = 0; i < fterms.length; i++) {
      fents.add(Messages.entry(fterms[i], i + 1));
    }
    ms.append(fents);
    ms.setHardState(Messages.hardState(3, 0, 2));
    Raft follower = TestNetwork.newRaft(2, ms, b -> b);
    int rejections = 0;
    leader.step(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());
    List<Message> toFollower = TestNetwork.readMessages(leader);
    for (int round = 0; round < 10 && !toFollower.isEmpty(); round++) {
      for (Message m : toFollower) {
        follower.step(m);
      }
      List<Message> back = TestNetwork.readMessages(follower);
      for (Message m : back) {
        if (m.getType() == MessageType.MsgAppResp && m.getReject()) {
          rejections++;
        }
        leader.step(m);
      }
      toFollower = TestNetwork.readMessages(leader);
    }
    assertThat(follower.raftLog.allEntries()).isEqualTo(leader.raftLog.allEntries());
    assertThat(rejections).isLessThanOrEqualTo(2);
  }

  @Test
  void appendMessagesArePagedByMaxSizePerMsgButCarryAtLeastOneEntry() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2);
    Raft r = TestNetwork.newRaft(1, ms, b -> b.maxSizePerMsg(250));
    r.becomeCandidate();
    r.becomeLeader();
    r.step(appResp(2, 1, r.term, 1)); // peer 2 to replicate
    TestNetwork.readMessages(r);
    ByteString data = ByteString.copyFrom(new byte[100]);
    // the inflight window keeps the leader from sending more than it may: fill the log first
    r.prs.progress().get(2L).becomeProbe();
    for (int i = 0; i < 10; i++) {
      r.step(
          Messages.message(MessageType.MsgProp, 1, 1, 0)
              .addEntries(Messages.proposal(data))
              .build());
    }
    TestNetwork.readMessages(r);
    r.prs.progress().get(2L).probeSent(false);
    r.step(Messages.message(MessageType.MsgHeartbeatResp, 1, 2, r.term).build());
    Message app = TestNetwork.readMessages(r).get(0);
    assertThat(app.getType()).isEqualTo(MessageType.MsgApp);
    long size = app.getEntriesList().stream().mapToLong(Messages::entrySize).sum();
    assertThat(app.getEntriesCount()).isBetween(1, 2);
    assertThat(size).isLessThanOrEqualTo(250);

    Raft tiny =
        TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2), b -> b.maxSizePerMsg(1));
    tiny.becomeCandidate();
    tiny.becomeLeader();
    tiny.bcastAppend();
    Message first = TestNetwork.readMessages(tiny).get(0);
    assertThat(first.getEntriesCount()).isEqualTo(1);
  }

  @Test
  void theInflightWindowPausesAReplicatingFollowerAndAHeartbeatResponseFreesOneSlot() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2);
    Raft r = TestNetwork.newRaft(1, ms, b -> b.maxInflightMsgs(3));
    r.becomeCandidate();
    r.becomeLeader();
    r.step(appResp(2, 1, r.term, 1));
    Progress pr = r.prs.progress().get(2L);
    assertThat(pr.state()).isEqualTo(ProgressState.REPLICATE);
    TestNetwork.readMessages(r);
    for (int i = 0; i < 5; i++) {
      r.step(
          Messages.message(MessageType.MsgProp, 1, 1, 0)
              .addEntries(Messages.proposal(ByteString.copyFromUtf8("e" + i)))
              .build());
    }
    List<Message> apps =
        TestNetwork.readMessages(r).stream()
            .filter(m -> m.getType() == MessageType.MsgApp)
            .toList();
    assertThat(apps).hasSize(3);
    assertThat(pr.isPaused()).isTrue();
    r.step(Messages.message(MessageType.MsgHeartbeatResp, 1, 2, r.term).build());
    List<Message> more =
        TestNetwork.readMessages(r).stream()
            .filter(m -> m.getType() == MessageType.MsgApp)
            .toList();
    assertThat(more).hasSize(1);
    // an acknowledgement frees the window and the rest follows
    r.step(appResp(2, 1, r.term, 6));
    assertThat(pr.inflights().count()).isLessThan(3);
  }

  @Test
  void aProbingFollowerGetsOneAppendUntilItAnswers() {
    Raft r = leaderWithLog(1, new long[] {1, 1}, 2, 1, 2);
    Progress pr = r.prs.progress().get(2L);
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    r.bcastAppend();
    r.bcastAppend();
    List<Message> apps = TestNetwork.readMessages(r);
    assertThat(apps).hasSize(1);
    assertThat(pr.probeSent()).isTrue();
  }

  @Test
  void aFollowerCommitsWhatTheLeaderSaysButNotPastWhatItHolds() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.propose(1, "a");
    net.propose(1, "b");
    for (long id = 1; id <= 3; id++) {
      assertThat(net.peer(id).raftLog.committed()).isEqualTo(3);
      assertThat(net.peer(id).raftLog.allEntries()).hasSize(3);
    }
  }

  @Test
  void anAppendResponseOfAStaleIndexIsIgnored() {
    Raft r = leaderWithLog(1, new long[] {1, 1, 1}, 2, 1, 2);
    r.step(appResp(2, 1, r.term, 4));
    Progress pr = r.prs.progress().get(2L);
    long next = pr.next();
    r.step(
        Messages.message(MessageType.MsgAppResp, 1, 2, r.term)
            .setIndex(2)
            .setReject(true)
            .setRejectHint(1)
            .build());
    assertThat(pr.next()).isEqualTo(next);
    assertThat(pr.match()).isEqualTo(4);
  }
}
