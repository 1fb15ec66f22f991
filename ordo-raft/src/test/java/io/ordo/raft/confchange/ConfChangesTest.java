package io.ordo.raft.confchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeTransition;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfChangesTest {

  private static ConfChangeSingle single(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  @Test
  void asV2WrapsTheSingleChangeAndKeepsTheContext() {
    ConfChange v1 =
        ConfChange.newBuilder()
            .setId(7)
            .setType(ConfChangeType.ConfChangeRemoveNode)
            .setNodeId(3)
            .setContext(ByteString.copyFromUtf8("ctx"))
            .build();
    ConfChangeV2 v2 = ConfChanges.asV2(v1);
    assertThat(v2.getChangesList()).containsExactly(single(ConfChangeType.ConfChangeRemoveNode, 3));
    assertThat(v2.getTransition()).isEqualTo(ConfChangeTransition.ConfChangeTransitionAuto);
    assertThat(v2.getContext().toStringUtf8()).isEqualTo("ctx");
  }

  @Test
  void asV2WithoutContextEncodesAsEtcdDoes() {
    ConfChange v1 =
        ConfChange.newBuilder()
            .setId(0)
            .setType(ConfChangeType.ConfChangeAddNode)
            .setNodeId(2)
            .build();
    // transition=Auto, changes={type=AddNode, node_id=2}, no context
    assertThat(HexFormat.of().formatHex(ConfChanges.asV2(v1).toByteArray()))
        .isEqualTo("0800120408001002");
  }

  @Test
  void asV2OfV2IsIdentity() {
    ConfChangeV2 cc = ConfChangeV2.newBuilder().build();
    assertThat(ConfChanges.asV2(cc)).isSameAs(cc);
  }

  @Test
  void singleAutoChangeDoesNotEnterJoint() {
    ConfChangeV2 cc =
        ConfChangeV2.newBuilder().addChanges(single(ConfChangeType.ConfChangeAddNode, 1)).build();
    assertThat(ConfChanges.enterJoint(cc)).isEmpty();
    assertThat(ConfChanges.leaveJoint(cc)).isFalse();
  }

  @Test
  void severalChangesEnterJointWithAutoLeave() {
    ConfChangeV2 cc =
        ConfChangeV2.newBuilder()
            .addChanges(single(ConfChangeType.ConfChangeAddNode, 1))
            .addChanges(single(ConfChangeType.ConfChangeAddNode, 2))
            .build();
    assertThat(ConfChanges.enterJoint(cc)).isEqualTo(Optional.of(true));
  }

  @Test
  void explicitTransitionsEnterJoint() {
    ConfChangeV2 implicit =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointImplicit)
            .addChanges(single(ConfChangeType.ConfChangeAddNode, 1))
            .build();
    assertThat(ConfChanges.enterJoint(implicit)).isEqualTo(Optional.of(true));
    ConfChangeV2 explicit =
        implicit.toBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
            .build();
    assertThat(ConfChanges.enterJoint(explicit)).isEqualTo(Optional.of(false));
    ConfChangeV2 explicitEmpty =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
            .build();
    assertThat(ConfChanges.enterJoint(explicitEmpty)).isEqualTo(Optional.of(false));
    assertThat(ConfChanges.leaveJoint(explicitEmpty)).isFalse();
  }

  @Test
  void emptyChangeLeavesJointWhateverItsContext() {
    assertThat(ConfChanges.leaveJoint(ConfChangeV2.newBuilder().build())).isTrue();
    ConfChangeV2 withContext =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .setContext(ByteString.copyFromUtf8("x"))
            .build();
    assertThat(ConfChanges.leaveJoint(withContext)).isTrue();
    assertThat(ConfChanges.enterJoint(withContext)).isEmpty();
  }

  @Test
  void equivalentIgnoresOrderAndPresenceOfAutoLeave() {
    ConfState a = ConfState.newBuilder().addAllVoters(List.of(3L, 1L)).addLearners(5).build();
    ConfState b =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 3L))
            .addLearners(5)
            .setAutoLeave(false)
            .build();
    assertThat(ConfChanges.equivalent(a, b)).isTrue();
    assertThat(ConfChanges.describeDifference(a, b)).isEmpty();
  }

  @Test
  void differentConfStatesAreNotEquivalentAndTheDifferenceIsNamed() {
    ConfState a = ConfState.newBuilder().addAllVoters(List.of(1L, 2L)).build();
    ConfState b =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 2L))
            .addVotersOutgoing(1)
            .setAutoLeave(true)
            .build();
    assertThat(ConfChanges.equivalent(a, b)).isFalse();
    assertThat(ConfChanges.describeDifference(a, b))
        .hasValueSatisfying(
            d ->
                assertThat(d)
                    .contains("voters_outgoing [] vs [1]")
                    .contains("auto_leave false vs true")
                    .doesNotContain("voters ["));
    ConfState learner = ConfState.newBuilder().addVoters(1).addLearners(2).build();
    ConfState learnerNext = ConfState.newBuilder().addVoters(1).addLearnersNext(2).build();
    assertThat(ConfChanges.equivalent(learner, learnerNext)).isFalse();
  }

  @Test
  void describeListsChangesAsEtcdLogsThem() {
    assertThat(
            ConfChanges.describe(
                List.of(
                    single(ConfChangeType.ConfChangeAddNode, 1),
                    single(ConfChangeType.ConfChangeRemoveNode, 2))))
        .isEqualTo("ConfChangeAddNode(1) ConfChangeRemoveNode(2)");
    assertThat(ConfChanges.describe(List.of())).isEmpty();
  }
}
