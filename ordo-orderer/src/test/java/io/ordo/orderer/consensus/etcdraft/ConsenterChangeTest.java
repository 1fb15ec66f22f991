package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.raft.pb.ConfChangeType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.Test;

/** Raft IDs and conf changes of consenter set updates, as Fabric's ComputeMembershipChanges. */
class ConsenterChangeTest {
  private static final RaftConsenter A = consenter("a");
  private static final RaftConsenter B = consenter("b");
  private static final RaftConsenter C = consenter("c");
  private static final RaftConsenter D = consenter("d");
  private static final RaftConsenter E = consenter("e");

  private static final Map<Long, RaftConsenter> ABC = Map.of(1L, A, 2L, B, 3L, C);
  private static final BlockMetadata META =
      BlockMetadata.newBuilder()
          .addAllConsenterIds(List.of(1L, 2L, 3L))
          .setNextConsenterId(4)
          .setRaftIndex(17)
          .build();

  @Test
  void anAddedConsenterTakesTheNextConsenterIdAndIsAddedToRaft() {
    ConsenterChange c = ConsenterChange.compute(ABC, META, List.of(A, B, C, D));
    assertThat(c.metadata().getConsenterIdsList()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(c.metadata().getNextConsenterId()).isEqualTo(5);
    assertThat(c.metadata().getRaftIndex()).isEqualTo(17);
    assertThat(c.confChange())
        .hasValueSatisfying(
            cc -> {
              assertThat(cc.getType()).isEqualTo(ConfChangeType.ConfChangeAddNode);
              assertThat(cc.getNodeId()).isEqualTo(4);
            });
    assertThat(c.consenters()).containsEntry(4L, D);
    assertThat(c.changed(ABC)).isTrue();
  }

  @Test
  void aRemovedConsentersIdIsRemovedFromRaftAndNeverReused() {
    ConsenterChange c = ConsenterChange.compute(ABC, META, List.of(C, A));
    assertThat(c.metadata().getConsenterIdsList()).containsExactly(3L, 1L);
    assertThat(c.metadata().getNextConsenterId()).isEqualTo(4);
    assertThat(c.confChange())
        .hasValueSatisfying(
            cc -> {
              assertThat(cc.getType()).isEqualTo(ConfChangeType.ConfChangeRemoveNode);
              assertThat(cc.getNodeId()).isEqualTo(2);
            });
    ConsenterChange again = ConsenterChange.compute(c.consenters(), c.metadata(), List.of(C, A, E));
    assertThat(again.metadata().getConsenterIdsList()).containsExactly(3L, 1L, 4L);
  }

  @Test
  void oneAddedWithOneRemovedIsARotationThatKeepsTheRaftId() {
    ConsenterChange c = ConsenterChange.compute(ABC, META, List.of(A, D, C));
    assertThat(c.rotated()).hasValue(2);
    assertThat(c.confChange()).isEmpty();
    assertThat(c.metadata().getConsenterIdsList()).containsExactly(1L, 2L, 3L);
    assertThat(c.metadata().getNextConsenterId()).isEqualTo(4);
    assertThat(c.consenters()).containsEntry(2L, D);
  }

  @Test
  void anUnchangedSetChangesNothing() {
    ConsenterChange c = ConsenterChange.compute(ABC, META, List.of(A, B, C));
    assertThat(c.changed(ABC)).isFalse();
    assertThat(c.confChange()).isEmpty();
    assertThat(c.rotated()).isEmpty();
  }

  @Test
  void twoAddedConsentersAreRefused() {
    assertThatThrownBy(() -> ConsenterChange.compute(ABC, META, List.of(A, B, C, D, E)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one consenter");
  }

  @Test
  void theConfChangeANewLeaderMustFinishBringsRaftVotersToTheConsenterIds() {
    assertThat(ConsenterChange.toReach(List.of(1L, 2L, 3L), List.of(1L, 2L, 3L, 4L)))
        .hasValueSatisfying(cc -> assertThat(cc.getNodeId()).isEqualTo(4));
    assertThat(ConsenterChange.toReach(List.of(1L, 2L, 3L), List.of(1L, 3L)))
        .hasValueSatisfying(
            cc -> assertThat(cc.getType()).isEqualTo(ConfChangeType.ConfChangeRemoveNode));
    assertThat(ConsenterChange.toReach(List.of(3L, 1L), List.of(1L, 3L))).isEmpty();
  }

  @Test
  void changesThatWouldLeaveFewerLiveConsentersThanTheirQuorumAreUnacceptable() {
    List<Long> twoOfThree = List.of(1L, 2L);
    // removing the dead node of 2/3 keeps 2 of 2; removing a live one leaves 1 of 2
    assertThat(ConsenterChange.compute(ABC, META, List.of(A, B)).unacceptableQuorumLoss(twoOfThree))
        .isFalse();
    assertThat(ConsenterChange.compute(ABC, META, List.of(B, C)).unacceptableQuorumLoss(twoOfThree))
        .isTrue();
    // adding to 2/3 needs 3 live of 4
    assertThat(
            ConsenterChange.compute(ABC, META, List.of(A, B, C, D))
                .unacceptableQuorumLoss(twoOfThree))
        .isTrue();
    assertThat(
            ConsenterChange.compute(ABC, META, List.of(A, B, C, D))
                .unacceptableQuorumLoss(List.of(1L, 2L, 3L)))
        .isFalse();
    // rotating a live node's certificate takes it down for a while
    assertThat(
            ConsenterChange.compute(ABC, META, List.of(A, D, C)).unacceptableQuorumLoss(twoOfThree))
        .isTrue();
    assertThat(
            ConsenterChange.compute(ABC, META, List.of(A, B, C)).unacceptableQuorumLoss(List.of()))
        .isFalse();
  }

  /**
   * The certificate of a consenter that is down is rotated while the others keep their quorum: the
   * change counts the rotated node as down, so it is accepted when the live ones alone are a quorum
   * of the new set (Fabric 2.2 refused it, hyperledger/fabric#3562).
   */
  @Test
  void rotatingTheCertificateOfADownConsenterIsAcceptedWhileTheOthersKeepQuorum() {
    List<Long> threeDown = List.of(1L, 2L);
    assertThat(
            ConsenterChange.compute(ABC, META, List.of(A, B, D)).unacceptableQuorumLoss(threeDown))
        .isFalse();
    RaftConsenter e = consenter("e");
    RaftConsenter f = consenter("f");
    RaftConsenter g = consenter("g");
    Map<Long, RaftConsenter> five = Map.of(1L, A, 2L, B, 3L, C, 4L, e, 5L, f);
    BlockMetadata meta5 =
        META.toBuilder()
            .clearConsenterIds()
            .addAllConsenterIds(List.of(1L, 2L, 3L, 4L, 5L))
            .build();
    // 3 and 4 down: rotating 4 leaves 1, 2 and 5, a quorum of five
    assertThat(
            ConsenterChange.compute(five, meta5, List.of(A, B, C, g, f))
                .unacceptableQuorumLoss(List.of(1L, 2L, 5L)))
        .isFalse();
    // but rotating a live one while two are down would leave two of five
    assertThat(
            ConsenterChange.compute(five, meta5, List.of(g, B, C, e, f))
                .unacceptableQuorumLoss(List.of(1L, 2L, 5L)))
        .isTrue();
  }

  private static RaftConsenter consenter(String name) {
    byte[] pem = ("cert of " + name).getBytes(StandardCharsets.UTF_8);
    return new RaftConsenter(name + ".example.com", 7050, pem, pem);
  }
}
