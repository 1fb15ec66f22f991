package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Elections, votes and pre-vote, as etcd raft v3.5 runs them. */
class ElectionRulesTest {

  @Test
  void aCampaignWithAMajorityOfVotesElectsALeader() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(1).term).isEqualTo(1);
    assertThat(net.peer(2).state).isEqualTo(StateType.FOLLOWER);
    assertThat(net.peer(2).lead).isEqualTo(1);
    assertThat(net.peer(3).lead).isEqualTo(1);
  }

  @Test
  void aCampaignWithoutAMajorityDoesNotElect() {
    TestNetwork net = TestNetwork.of(5);
    net.replace(4, null);
    net.replace(5, null);
    net.replace(3, null);
    net.hup(1);
    assertThat(net.peer(1).state).isEqualTo(StateType.CANDIDATE);
    assertThat(net.peer(1).term).isEqualTo(1);
  }

  @Test
  void aNewLeaderAppendsOneEmptyEntryOfItsTerm() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    for (long id = 1; id <= 3; id++) {
      var log = net.peer(id).raftLog;
      assertThat(log.lastIndex()).isEqualTo(1);
      var e = log.allEntries().get(0);
      assertThat(e.getTerm()).isEqualTo(1);
      assertThat(e.hasData()).isFalse();
      assertThat(log.committed()).isEqualTo(1);
    }
  }

  @Test
  void electionSafetyANodeGrantsAtMostOneVotePerTerm() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    r.step(voteRequest(MessageType.MsgVote, 2, 1, 1, 0, 0));
    r.step(voteRequest(MessageType.MsgVote, 3, 1, 1, 0, 0));
    List<Message> out = TestNetwork.readMessages(r);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getTo()).isEqualTo(2);
    assertThat(out.get(0).getReject()).isFalse();
    assertThat(out.get(1).getTo()).isEqualTo(3);
    assertThat(out.get(1).getReject()).isTrue();
    assertThat(r.vote).isEqualTo(2);
  }

  @Test
  void aRepeatedVoteRequestFromTheSameCandidateIsGrantedAgain() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    r.step(voteRequest(MessageType.MsgVote, 2, 1, 1, 0, 0));
    r.step(voteRequest(MessageType.MsgVote, 2, 1, 1, 0, 0));
    assertThat(TestNetwork.readMessages(r))
        .extracting(Message::getReject)
        .containsExactly(false, false);
  }

  @Test
  void aCandidateWithAStaleLogIsRefusedVotes() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.propose(1, "only on 1 and 2");
    net.recover();
    // 3 misses the entry; its campaign must fail even though its term is higher
    net.hup(3);
    assertThat(net.peer(3).state).isNotEqualTo(StateType.LEADER);
    assertThat(net.peer(1).raftLog.lastIndex()).isEqualTo(2);
    // the up-to-date nodes can still elect one of them at a later term
    net.hup(2);
    assertThat(net.peer(2).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(2).raftLog.lastIndex()).isEqualTo(3);
  }

  @Test
  void upToDateMeansHigherLastTermOrSameTermAndAtLeastAsLong() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    r.becomeCandidate();
    r.becomeLeader(); // log: (1,1)
    r.becomeFollower(2, Raft.NONE);
    assertThat(r.raftLog.isUpToDate(1, 1)).isTrue();
    assertThat(r.raftLog.isUpToDate(0, 1)).isFalse();
    assertThat(r.raftLog.isUpToDate(0, 2)).isTrue();
    assertThat(r.raftLog.isUpToDate(5, 0)).isFalse();
  }

  @Test
  void randomizedElectionTimeoutStaysInElectionToTwiceElection() {
    Set<Integer> seen = new HashSet<>();
    SplittableRandom seeds = new SplittableRandom(42);
    for (int i = 0; i < 500; i++) {
      long seed = seeds.nextLong();
      Raft r =
          TestNetwork.newRaft(
              1, TestNetwork.storageWithVoters(1, 2, 3), b -> b.random(new SplittableRandom(seed)));
      r.becomeFollower(r.term + 1, Raft.NONE);
      int t = r.randomizedElectionTimeout();
      assertThat(t).as("seed %d", seed).isBetween(10, 19);
      seen.add(t);
    }
    assertThat(seen).hasSize(10);
  }

  @Test
  void aFollowerCampaignsOnceItsRandomizedTimeoutElapses() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    int timeout = r.randomizedElectionTimeout();
    for (int i = 0; i < timeout - 1; i++) {
      r.tick();
    }
    assertThat(r.state).isEqualTo(StateType.FOLLOWER);
    r.tick();
    assertThat(r.state).isEqualTo(StateType.CANDIDATE);
    assertThat(TestNetwork.readMessages(r))
        .extracting(Message::getType)
        .containsOnly(MessageType.MsgVote);
  }

  @Test
  void preVoteDoesNotRaiseTerms() {
    TestNetwork net = TestNetwork.of(3, b -> b.preVote(true));
    net.hup(1);
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    long term = net.peer(1).term;
    net.isolate(3);
    for (int i = 0; i < 100; i++) {
      net.peer(3).tick();
      net.send(TestNetwork.readMessages(net.peer(3)).toArray(Message[]::new));
    }
    assertThat(net.peer(3).term).isEqualTo(term);
    assertThat(net.peer(3).state).isEqualTo(StateType.PRE_CANDIDATE);
    net.recover();
    // the rejoining node does not disrupt the leader
    net.send(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(1).term).isEqualTo(term);
    assertThat(net.peer(3).state).isEqualTo(StateType.FOLLOWER);
  }

  @Test
  void aPreVoteIsGrantedForAFutureTermWithoutRecordingAVote() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b.preVote(true));
    r.step(voteRequest(MessageType.MsgPreVote, 2, 1, 1, 0, 0));
    r.step(voteRequest(MessageType.MsgPreVote, 3, 1, 1, 0, 0));
    List<Message> out = TestNetwork.readMessages(r);
    assertThat(out).extracting(Message::getType).containsOnly(MessageType.MsgPreVoteResp);
    assertThat(out).extracting(Message::getReject).containsExactly(false, false);
    assertThat(out).extracting(Message::getTerm).containsExactly(1L, 1L);
    assertThat(r.term).isZero();
    assertThat(r.vote).isZero();
  }

  @Test
  void aPreVoteFromAStaleLogIsRejected() {
    TestNetwork net = TestNetwork.of(3, b -> b.preVote(true));
    net.hup(1);
    net.propose(1, "x");
    Raft r = net.peer(2);
    TestNetwork.readMessages(r);
    r.step(voteRequest(MessageType.MsgPreVote, 3, r.term + 1, 1, 1, 0));
    Message resp = TestNetwork.readMessages(r).get(0);
    assertThat(resp.getType()).isEqualTo(MessageType.MsgPreVoteResp);
    assertThat(resp.getReject()).isTrue();
  }

  @Test
  void aPreVoteWithALowerTermIsAnsweredWithARejectionAtOurTerm() {
    Raft r = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b.preVote(true));
    r.becomeFollower(5, Raft.NONE);
    r.step(voteRequest(MessageType.MsgPreVote, 2, 3, 9, 9, 0));
    Message resp = TestNetwork.readMessages(r).get(0);
    assertThat(resp.getReject()).isTrue();
    assertThat(resp.getTerm()).isEqualTo(5);
  }

  @Test
  void aCampaignIsRefusedWhileCommittedConfChangesAreUnapplied() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = new RawNode(Config.builder(1, ms).build());
    n.bootstrap(List.of(Peer.of(1), Peer.of(2)));
    n.campaign();
    assertThat(n.status().raftState()).isEqualTo(StateType.FOLLOWER);
    assertThat(n.status().term()).isEqualTo(1);
  }

  static Message voteRequest(
      MessageType type, long from, long term, long lastTerm, long lastIndex, long to) {
    return Messages.message(type, to == 0 ? 1 : to, from, term)
        .setLogTerm(lastTerm)
        .setIndex(lastIndex)
        .build();
  }
}
