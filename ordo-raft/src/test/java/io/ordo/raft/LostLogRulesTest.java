package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A follower that lost its log (its data deleted, the node rejoined under the same raft ID): etcd
 * halts it with "tocommit out of range"; with {@link Config#recoverLostLog} it tells the leader,
 * which probes it again from what it still holds, and it catches up.
 */
class LostLogRulesTest {
  private static final UnaryOperator<Config.Builder> RECOVER = b -> b.recoverLostLog(true);

  @Test
  void aFollowerWithALostLogIsSentItAgainAndTakesItsVoteAsGivenToTheLeader() {
    TestNetwork net = TestNetwork.of(3, RECOVER);
    net.hup(1);
    for (int i = 0; i < 20; i++) {
      net.propose(1, "entry-" + i);
    }
    long committed = net.peer(1).raftLog.committed();
    assertThat(net.peer(3).raftLog.lastIndex()).isEqualTo(committed);

    // node 3 loses everything and comes back as a fresh member of the same three
    Raft fresh = TestNetwork.newRaft(3, TestNetwork.storageWithVoters(1, 2, 3), RECOVER);
    net.replace(3, fresh);
    net.send(Messages.message(MessageType.MsgBeat, 1, 1, 0).build());

    assertThat(net.peer(3).raftLog.lastIndex()).isEqualTo(net.peer(1).raftLog.lastIndex());
    assertThat(net.peer(3).raftLog.committed()).isEqualTo(committed);
    assertThat(net.peer(3).term).isEqualTo(net.peer(1).term);
    assertThat(net.peer(3).vote).as("its vote in this term").isEqualTo(1);
    assertThat(net.peer(1).prs.progress().get(3L).match()).isEqualTo(committed);

    // and it goes on replicating
    net.propose(1, "after");
    assertThat(net.peer(3).raftLog.committed()).isEqualTo(committed + 1);
  }

  @Test
  void withoutTheOptionTheFollowerHaltsAsEtcdsDoes() {
    TestNetwork net = TestNetwork.of(3);
    net.hup(1);
    for (int i = 0; i < 5; i++) {
      net.propose(1, "entry-" + i);
    }
    net.replace(3, TestNetwork.newRaft(3, TestNetwork.storageWithVoters(1, 2, 3), b -> b));
    assertThatThrownBy(() -> net.send(Messages.message(MessageType.MsgBeat, 1, 1, 0).build()))
        .hasMessageContaining("is out of range");
  }

  @Test
  void anEtcdLeaderIgnoresTheReportAsAStaleRejection() {
    TestNetwork net = TestNetwork.of(3, b -> b);
    net.hup(1);
    for (int i = 0; i < 5; i++) {
      net.propose(1, "entry-" + i);
    }
    long match = net.peer(1).prs.progress().get(3L).match();
    Message report =
        Messages.message(MessageType.MsgAppResp, 1, 3, net.peer(1).term)
            .setIndex(match)
            .setReject(true)
            .setRejectHint(0)
            .setContext(Raft.LOST_LOG)
            .build();
    net.peer(1).step(report);
    assertThat(net.peer(1).prs.progress().get(3L).match()).isEqualTo(match);
  }
}
