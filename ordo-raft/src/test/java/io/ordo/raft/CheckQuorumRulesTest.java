package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Check-quorum, the leader lease and stale-term answers. */
class CheckQuorumRulesTest {

  @Test
  void checkQuorumLeaderStepsDownWithoutRecentContactFromAQuorum() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true));
    net.hup(1);
    Raft leader = net.peer(1);
    assertThat(leader.state).isEqualTo(StateType.LEADER);
    net.isolate(1);
    // two check-quorum rounds: the first clears recent activity, the second finds none
    for (int i = 0; i < 2 * 10 + 1; i++) {
      leader.tick();
      net.send(TestNetwork.readMessages(leader).toArray(Message[]::new));
    }
    assertThat(leader.state).isEqualTo(StateType.FOLLOWER);
    assertThat(leader.lead).isEqualTo(Raft.NONE);
  }

  @Test
  void checkQuorumLeaderStaysWhileFollowersAnswer() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true));
    net.hup(1);
    Raft leader = net.peer(1);
    for (int i = 0; i < 5 * 10; i++) {
      leader.tick();
      net.send(TestNetwork.readMessages(leader).toArray(Message[]::new));
    }
    assertThat(leader.state).isEqualTo(StateType.LEADER);
  }

  @Test
  void leaseAFollowerIgnoresVoteRequestsWhileItHearsFromItsLeader() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true));
    net.hup(1);
    Raft follower = net.peer(2);
    long term = follower.term;
    follower.step(ElectionRulesTest.voteRequest(MessageType.MsgVote, 3, term + 1, term, 100, 2));
    assertThat(TestNetwork.readMessages(follower)).isEmpty();
    assertThat(follower.term).isEqualTo(term);
    assertThat(follower.lead).isEqualTo(1);
  }

  @Test
  void leaseDoesNotHoldAfterAnElectionTimeoutOfSilence() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true));
    net.hup(1);
    Raft follower = net.peer(2);
    long term = follower.term;
    for (int i = 0; i < 10; i++) {
      follower.tick();
    }
    TestNetwork.readMessages(follower);
    follower.step(ElectionRulesTest.voteRequest(MessageType.MsgVote, 3, term + 1, term, 100, 2));
    List<Message> out = TestNetwork.readMessages(follower);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getReject()).isFalse();
    assertThat(follower.term).isEqualTo(term + 1);
  }

  @Test
  void campaignTransferContextBypassesTheLease() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true));
    net.hup(1);
    Raft follower = net.peer(2);
    long term = follower.term;
    follower.step(
        Messages.message(MessageType.MsgVote, 2, 3, term + 1)
            .setLogTerm(term)
            .setIndex(100)
            .setContext(Raft.CAMPAIGN_TRANSFER)
            .build());
    List<Message> out = TestNetwork.readMessages(follower);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getReject()).isFalse();
    assertThat(follower.vote).isEqualTo(3);
  }

  @Test
  void aStaleLeaderIsToldTheNewTermInAnAppendResponse() {
    Raft r =
        TestNetwork.newRaft(2, TestNetwork.storageWithVoters(1, 2, 3), b -> b.checkQuorum(true));
    r.becomeFollower(5, 3);
    r.step(Messages.message(MessageType.MsgHeartbeat, 2, 1, 4).build());
    List<Message> out = TestNetwork.readMessages(r);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getType()).isEqualTo(MessageType.MsgAppResp);
    assertThat(out.get(0).getTerm()).isEqualTo(5);
    assertThat(out.get(0).getIndex()).isZero();
    // and the stale leader steps down when it receives it
    Raft stale =
        TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b.checkQuorum(true));
    stale.becomeCandidate();
    stale.becomeLeader();
    stale.step(out.get(0));
    assertThat(stale.state).isEqualTo(StateType.FOLLOWER);
    assertThat(stale.term).isEqualTo(5);
  }

  @Test
  void messagesWithALowerTermAreOtherwiseDropped() {
    Raft r = TestNetwork.newRaft(2, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    r.becomeFollower(5, 3);
    r.step(Messages.message(MessageType.MsgAppResp, 2, 1, 4).build());
    r.step(Messages.message(MessageType.MsgHeartbeat, 2, 1, 4).build());
    assertThat(TestNetwork.readMessages(r)).isEmpty();
    assertThat(r.term).isEqualTo(5);
  }
}
