package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.Test;

/** Conf changes from config blocks, their retries, and this node's removal. */
class MembershipChangesTest {
  private static final RaftConsenter A = consenter("a");
  private static final RaftConsenter B = consenter("b");
  private static final RaftConsenter C = consenter("c");
  private static final RaftConsenter D = consenter("d");
  private static final Map<Long, RaftConsenter> ABC = Map.of(1L, A, 2L, B, 3L, C);
  private static final BlockMetadata META =
      BlockMetadata.newBuilder()
          .addAllConsenterIds(List.of(1L, 2L, 3L))
          .setNextConsenterId(4)
          .build();

  private final List<String> raft = new CopyOnWriteArrayList<>();
  private final List<Map<Long, RaftConsenter>> told = new ArrayList<>();
  private Map<Long, RaftConsenter> consenters = ABC;
  private BlockMetadata metadata = META;
  private ConfState confState = ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).build();

  private static RaftConsenter consenter(String name) {
    byte[] cert = name.getBytes(StandardCharsets.UTF_8);
    return new RaftConsenter(name, 7050, cert, cert);
  }

  /** Node 1 of the channel; an election timeout is 2 ticks of 10 ms. */
  private MembershipChanges changes(long self) {
    Options options =
        new Options(
            self,
            List.of(1L, 2L, 3L),
            Path.of("wal"),
            Path.of("snap"),
            Duration.ofMillis(10),
            2,
            1,
            5,
            1 << 20,
            1 << 20);
    return new MembershipChanges(
        "mychannel",
        self,
        options,
        new MembershipChanges.Raft() {
          @Override
          public void proposeConfChange(long term, ConfChange change) {
            raft.add("propose " + change.getType() + " " + change.getNodeId() + " in " + term);
          }

          @Override
          public void transferLeadership() {
            raft.add("transfer");
          }
        },
        told::add,
        new MembershipChanges.Current() {
          @Override
          public Map<Long, RaftConsenter> consenters() {
            return consenters;
          }

          @Override
          public BlockMetadata blockMetadata() {
            return metadata;
          }

          @Override
          public ConfState confState() {
            return confState;
          }
        },
        () -> 1,
        () -> true,
        request -> raft.add("resubmit"));
  }

  @Test
  void aLeaderProposesTheConfChangeOfAnAddedConsenterAndAgainAfterAnElectionTimeout() {
    MembershipChanges changes = changes(1);
    ConsenterChange added = ConsenterChange.compute(ABC, META, List.of(A, B, C, D));
    consenters = added.consenters();
    assertThat(changes.consentersChanged(5, added, true, 3)).isTrue();
    assertThat(raft).containsExactly("propose ConfChangeAddNode 4 in 3");
    changes.retryIfDue(3);
    assertThat(raft).as("not before an election timeout").hasSize(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              changes.retryIfDue(3);
              assertThat(raft).hasSize(2);
            });

    ConfChange applied =
        ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(4).build();
    assertThat(changes.applied(9, applied)).isEqualTo(MembershipChanges.Applied.IN_PROGRESS_DONE);
    assertThat(told).containsExactly(added.consenters());
    changes.retryIfDue(3);
    await()
        .during(Duration.ofMillis(60))
        .atMost(Duration.ofSeconds(1))
        .until(() -> raft.size() == 2);
  }

  @Test
  void aFollowerOnlyRemembersTheChangeAndARotationOnlyTellsTheTransport() {
    MembershipChanges changes = changes(2);
    ConsenterChange added = ConsenterChange.compute(ABC, META, List.of(A, B, C, D));
    assertThat(changes.consentersChanged(5, added, false, 3)).isFalse();
    assertThat(raft).isEmpty();

    RaftConsenter rotatedB =
        new RaftConsenter("b", 7050, B.clientTlsCert(), "b2".getBytes(StandardCharsets.UTF_8));
    ConsenterChange rotation = ConsenterChange.compute(ABC, META, List.of(A, rotatedB, C));
    assertThat(rotation.confChange()).isEmpty();
    assertThat(changes.consentersChanged(6, rotation, true, 3)).isFalse();
    assertThat(told).containsExactly(rotation.consenters());
  }

  @Test
  void aRemovedNodeHaltsWhenItsRemovalIsAppliedOrTwoElectionTimeoutsAfterTheBlock() {
    MembershipChanges applied = changes(3);
    ConsenterChange removal = ConsenterChange.compute(ABC, META, List.of(A, B));
    applied.consentersChanged(8, removal, false, 3);
    assertThat(applied.evictionOverdue()).isFalse();
    ConfChange removeSelf =
        ConfChange.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(3).build();
    assertThat(applied.applied(11, removeSelf)).isEqualTo(MembershipChanges.Applied.SELF_REMOVED);
    assertThat(applied.removed()).isTrue();

    MembershipChanges unseen = changes(3);
    unseen.consentersChanged(8, removal, false, 3);
    await().atMost(Duration.ofSeconds(5)).until(unseen::evictionOverdue);
    assertThat(unseen.removed()).isFalse();
  }

  @Test
  void aNewLeaderProposesTheConfChangeItsVotersLack() {
    MembershipChanges changes = changes(1);
    metadata = META.toBuilder().addConsenterIds(4).setNextConsenterId(5).build();
    assertThat(changes.proposeMissing(4)).isTrue();
    assertThat(raft).containsExactly("propose ConfChangeAddNode 4 in 4");

    metadata = META;
    raft.clear();
    assertThat(changes.proposeMissing(4)).isFalse();
    assertThat(raft).isEmpty();
  }
}
