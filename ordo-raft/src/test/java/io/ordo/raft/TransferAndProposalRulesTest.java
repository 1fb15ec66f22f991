package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import org.junit.jupiter.api.Test;

/** Leadership transfer with MsgTimeoutNow, and when proposals are dropped. */
class TransferAndProposalRulesTest {

  private static Message prop(long to, String data) {
    return Messages.message(MessageType.MsgProp, to, to, 0)
        .addEntries(Messages.proposal(ByteString.copyFromUtf8(data)))
        .build();
  }

  private static Message transfer(long leader, long transferee) {
    return Messages.message(MessageType.MsgTransferLeader, leader, transferee, 0).build();
  }

  @Test
  void transferToAnUpToDateFollowerSendsTimeoutNowAndItWinsTheNextTerm() {
    TestNetwork net = TestNetwork.of(3, b -> b.checkQuorum(true).preVote(true));
    net.hup(1);
    long term = net.peer(1).term;
    net.send(transfer(1, 2));
    assertThat(net.delivered)
        .filteredOn(m -> m.getType() == MessageType.MsgTimeoutNow)
        .singleElement()
        .satisfies(m -> assertThat(m.getTo()).isEqualTo(2));
    assertThat(net.peer(2).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(2).term).isEqualTo(term + 1);
    assertThat(net.peer(1).state).isEqualTo(StateType.FOLLOWER);
    assertThat(net.delivered)
        .filteredOn(m -> m.getType() == MessageType.MsgPreVote && m.getFrom() == 2)
        .isEmpty();
    // the transfer campaign skips pre-vote and carries the transfer context past the lease
    assertThat(net.delivered)
        .filteredOn(m -> m.getType() == MessageType.MsgVote && m.getFrom() == 2)
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getContext()).isEqualTo(Raft.CAMPAIGN_TRANSFER));
  }

  @Test
  void transferToALaggingFollowerWaitsUntilItCatchesUp() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.propose(1, "a");
    net.recover();
    net.ignore(MessageType.MsgApp);
    net.send(transfer(1, 3));
    assertThat(net.peer(1).leadTransferee).isEqualTo(3);
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    net.recover();
    // a heartbeat round lets 3 catch up; its MsgAppResp triggers MsgTimeoutNow
    net.send(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());
    assertThat(net.peer(3).state).isEqualTo(StateType.LEADER);
  }

  @Test
  void proposalsAreDroppedDuringATransfer() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.send(transfer(1, 3));
    Raft leader = net.peer(1);
    assertThat(leader.leadTransferee).isEqualTo(3);
    assertThatThrownBy(() -> leader.step(prop(1, "x")))
        .isInstanceOf(ProposalDroppedException.class)
        .hasMessageContaining("transfer");
  }

  @Test
  void aTransferIsAbortedAfterAnElectionTimeout() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.send(transfer(1, 3));
    Raft leader = net.peer(1);
    for (int i = 0; i < 10; i++) {
      leader.tick();
    }
    assertThat(leader.leadTransferee).isZero();
    assertThat(leader.state).isEqualTo(StateType.LEADER);
    leader.step(prop(1, "accepted again"));
  }

  @Test
  void transferToSelfOrToALearnerIsIgnored() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.send(transfer(1, 1));
    assertThat(net.peer(1).leadTransferee).isZero();
    net.peer(1)
        .applyConfChange(
            io.ordo.raft.confchange.ConfChanges.asV2(
                Messages.confChange(ConfChangeType.ConfChangeAddLearnerNode, 3, null)));
    net.send(transfer(1, 3));
    assertThat(net.peer(1).leadTransferee).isZero();
  }

  @Test
  void aRequestForADifferentTransfereeAbortsThePendingTransfer() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.isolate(3);
    net.isolate(2);
    net.propose(1, "lagging");
    net.send(transfer(1, 3));
    assertThat(net.peer(1).leadTransferee).isEqualTo(3);
    net.send(transfer(1, 2));
    assertThat(net.peer(1).leadTransferee).isEqualTo(2);
  }

  @Test
  void proposalsAreDroppedWithoutALeader() {
    Raft follower = TestNetwork.newRaft(1, TestNetwork.storageWithVoters(1, 2, 3), b -> b);
    assertThatThrownBy(() -> follower.step(prop(1, "x")))
        .isInstanceOf(ProposalDroppedException.class)
        .hasMessageContaining("no leader");
    follower.becomeCandidate();
    assertThatThrownBy(() -> follower.step(prop(1, "x")))
        .isInstanceOf(ProposalDroppedException.class)
        .hasMessageContaining("no leader");
  }

  @Test
  void aFollowerDropsProposalsWhenForwardingIsDisabled() {
    TestNetwork net = TestNetwork.of(3, b -> b.disableProposalForwarding(true));
    net.hup(1);
    assertThatThrownBy(() -> net.peer(2).step(prop(2, "x")))
        .isInstanceOf(ProposalDroppedException.class)
        .hasMessageContaining("forwarding");
  }

  @Test
  void aFollowerForwardsProposalsToTheLeaderWhenForwardingIsOn() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    net.send(prop(2, "forwarded"));
    assertThat(net.peer(1).raftLog.lastIndex()).isEqualTo(2);
    assertThat(net.peer(3).raftLog.committed()).isEqualTo(2);
  }

  @Test
  void theUncommittedSizeLimitDropsProposalsButAlwaysAdmitsOneWhenEmpty() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1, 2, 3);
    Raft r = TestNetwork.newRaft(1, ms, b -> b.maxUncommittedEntriesSize(100));
    r.becomeCandidate();
    r.becomeLeader();
    ByteString big = ByteString.copyFrom(new byte[150]);
    r.step(
        Messages.message(MessageType.MsgProp, 1, 1, 0).addEntries(Messages.proposal(big)).build());
    assertThatThrownBy(
            () ->
                r.step(
                    Messages.message(MessageType.MsgProp, 1, 1, 0)
                        .addEntries(Messages.proposal(ByteString.copyFromUtf8("more")))
                        .build()))
        .isInstanceOf(ProposalDroppedException.class)
        .hasMessageContaining("uncommitted");
  }
}
