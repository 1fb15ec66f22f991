package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Followers that forget their leader (etcd raft v3.6's ForgetLeader): with pre-vote and
 * check-quorum they elect a new leader at once when a quorum of them forgot it, and cannot depose a
 * leader that the others still hear.
 */
class ForgetLeaderRulesTest {
  private static final UnaryOperator<Config.Builder> FABRIC =
      b -> b.preVote(true).checkQuorum(true);

  @Test
  void whenAQuorumOfFollowersForgetsTheLeaderOneOfThemIsElectedWithoutATick() {
    TestNetwork net = TestNetwork.of(3, FABRIC);
    net.hup(1);
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    long term = net.peer(1).term;
    net.isolate(1); // its process died: nothing from it, nothing to it
    net.peer(2).forgetLeader();
    net.peer(3).forgetLeader();
    assertThat(net.peer(2).lead).isZero();
    net.hup(2);
    assertThat(net.peer(2).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(2).term).isEqualTo(term + 1);
    assertThat(net.peer(3).lead).isEqualTo(2);
  }

  @Test
  void oneFollowerThatForgotALiveLeaderCannotDeposeIt() {
    TestNetwork net = TestNetwork.of(3, FABRIC);
    net.hup(1);
    long term = net.peer(1).term;
    net.peer(2).forgetLeader();
    net.hup(2); // node 3 still hears node 1: no pre-vote for node 2
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(1).term).isEqualTo(term);
    assertThat(net.peer(2).term).as("a pre-vote raises no term").isEqualTo(term);
    // the next heartbeat makes node 2 a follower of node 1 again
    net.send(Messages.message(io.ordo.raft.pb.MessageType.MsgBeat, 1, 1, 0).build());
    assertThat(net.peer(2).state).isEqualTo(StateType.FOLLOWER);
    assertThat(net.peer(2).lead).isEqualTo(1);
  }

  @Test
  void aLeaderOrACandidateHasNoLeaderToForget() {
    TestNetwork net = TestNetwork.of(3, FABRIC);
    net.hup(1);
    net.peer(1).forgetLeader();
    assertThat(net.peer(1).state).isEqualTo(StateType.LEADER);
    assertThat(net.peer(1).lead).isEqualTo(1);
  }
}
