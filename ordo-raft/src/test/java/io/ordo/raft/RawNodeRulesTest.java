package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.MessageType;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RawNode: bootstrap as Fabric starts a channel, the Ready contract, restart from storage. */
class RawNodeRulesTest {

  private static RawNode node(long id, MemoryStorage ms) {
    return new RawNode(Config.fabricDefaults(id, ms).random(new SplittableRandom(id)).build());
  }

  @Test
  void bootstrapWritesFabricsFirstReadyAtTermOne() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1), Peer.of(2), Peer.of(3)));
    Ready rd = n.ready();
    assertThat(rd.hardState()).isEqualTo(Messages.hardState(1, 0, 3));
    assertThat(rd.mustSync()).isTrue();
    assertThat(rd.entries()).hasSize(3);
    assertThat(rd.committedEntries()).isEqualTo(rd.entries());
    for (int i = 0; i < 3; i++) {
      Entry e = rd.entries().get(i);
      assertThat(e.getType()).isEqualTo(EntryType.EntryConfChange);
      assertThat(e.getTerm()).isEqualTo(1);
      assertThat(e.getIndex()).isEqualTo(i + 1);
      assertThat(HexFormat.of().formatHex(e.getData().toByteArray()))
          .isEqualTo("08001000180" + (i + 1));
    }
    assertThat(rd.messages()).isEmpty();
    assertThat(rd.softState()).isNull();
  }

  @Test
  void bootstrapRefusesANonEmptyStorage() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1);
    ms.append(List.of(Messages.entry(1, 1)));
    RawNode n = node(1, ms);
    assertThatThrownBy(() -> n.bootstrap(List.of(Peer.of(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nonempty");
  }

  @Test
  void aBootstrappedSingleNodeElectsItselfAtTermTwoAfterApplyingItsConfChanges() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1)));
    RawNodeHarness h = new RawNodeHarness(n, ms);
    h.drain();
    n.campaign();
    h.drain();
    assertThat(n.status().raftState()).isEqualTo(StateType.LEADER);
    assertThat(n.status().term()).isEqualTo(2);
    n.propose(ByteString.copyFromUtf8("block"));
    h.drain();
    assertThat(h.applied).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L);
    assertThat(h.applied.get(2).getData().toStringUtf8()).isEqualTo("block");
  }

  @Test
  void mustSyncOnlyForNewEntriesOrAChangedTermOrVote() {
    HardState prev = Messages.hardState(2, 1, 5);
    assertThat(Ready.mustSync(Messages.hardState(2, 1, 9), prev, 0)).isFalse();
    assertThat(Ready.mustSync(Messages.hardState(2, 1, 5), prev, 1)).isTrue();
    assertThat(Ready.mustSync(Messages.hardState(3, 1, 5), prev, 0)).isTrue();
    assertThat(Ready.mustSync(Messages.hardState(2, 3, 5), prev, 0)).isTrue();
  }

  @Test
  void afterAdvanceThereIsNoReadyUntilSomethingHappens() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1), Peer.of(2)));
    RawNodeHarness h = new RawNodeHarness(n, ms);
    h.drain();
    assertThat(n.hasReady()).isFalse();
    n.tick();
    assertThat(n.hasReady()).isFalse();
  }

  @Test
  void aVoteLeavesOnlyInAReadyThatAlsoCarriesTheHardStateToPersist() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(2, ms);
    n.bootstrap(List.of(Peer.of(1), Peer.of(2), Peer.of(3)));
    new RawNodeHarness(n, ms).drain();
    n.step(Messages.message(MessageType.MsgVote, 2, 1, 2).setLogTerm(1).setIndex(3).build());
    Ready rd = n.ready();
    assertThat(rd.messages()).extracting(m -> m.getType()).containsExactly(MessageType.MsgVoteResp);
    assertThat(rd.hardState().getVote()).isEqualTo(1);
    assertThat(rd.hardState().getTerm()).isEqualTo(2);
    assertThat(rd.mustSync()).isTrue();
  }

  @Test
  void stepIgnoresLocalMessagesAndResponsesFromUnknownPeers() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1), Peer.of(2)));
    new RawNodeHarness(n, ms).drain();
    assertThat(n.step(Messages.message(MessageType.MsgHup, 1, 1, 0).build())).isFalse();
    assertThat(n.step(Messages.message(MessageType.MsgAppResp, 1, 9, 1).build())).isFalse();
    assertThat(n.status().raftState()).isEqualTo(StateType.FOLLOWER);
  }

  @Test
  void aNodeRestartsFromItsStorageWithHardStateConfStateEntriesAndSnapshot() {
    MemoryStorage ms = new MemoryStorage();
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).setAutoLeave(false).build();
    ms.applySnapshot(Messages.snapshot(ByteString.copyFromUtf8("block-7"), cs, 10, 3));
    ms.append(
        List.of(
            Messages.entry(3, 11, EntryType.EntryNormal, ByteString.copyFromUtf8("b11")),
            Messages.entry(4, 12, EntryType.EntryNormal, ByteString.copyFromUtf8("b12"))));
    ms.setHardState(Messages.hardState(4, 2, 11));
    RawNode n =
        new RawNode(
            Config.fabricDefaults(1, ms).applied(10).random(new SplittableRandom(1)).build());
    Status st = n.status();
    assertThat(st.term()).isEqualTo(4);
    assertThat(st.hardState().getVote()).isEqualTo(2);
    assertThat(st.commit()).isEqualTo(11);
    assertThat(st.applied()).isEqualTo(10);
    assertThat(st.raftState()).isEqualTo(StateType.FOLLOWER);
    assertThat(st.config().voters().ids()).containsExactly(1L, 2L);
    Ready rd = n.ready();
    // committed but unapplied entries are handed out again; nothing is re-persisted
    assertThat(rd.committedEntries()).extracting(Entry::getIndex).containsExactly(11L);
    assertThat(rd.entries()).isEmpty();
    assertThat(rd.hasHardState()).isFalse();
  }

  @Test
  void aRestartWithAHardStateCommitBeyondTheLogIsRefused() {
    MemoryStorage ms = TestNetwork.storageWithVoters(1);
    ms.append(List.of(Messages.entry(1, 1)));
    ms.setHardState(Messages.hardState(1, 0, 5));
    assertThatThrownBy(() -> node(1, ms))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void invalidConfigsAreRefusedWithEtcdsMessages() {
    MemoryStorage ms = new MemoryStorage();
    assertThatThrownBy(() -> Config.builder(0, ms).build()).hasMessage("cannot use none as id");
    assertThatThrownBy(() -> Config.builder(1, ms).heartbeatTick(0).build())
        .hasMessage("heartbeat tick must be greater than 0");
    assertThatThrownBy(() -> Config.builder(1, ms).electionTick(1).heartbeatTick(1).build())
        .hasMessage("election tick must be greater than heartbeat tick");
    assertThatThrownBy(() -> Config.builder(1, ms).maxInflightMsgs(0).build())
        .hasMessage("max inflight messages must be greater than 0");
    assertThatThrownBy(
            () -> Config.builder(1, ms).readOnlyOption(ReadOnlyOption.LEASE_BASED).build())
        .hasMessageContaining("CheckQuorum must be enabled");
  }

  @Test
  void readIndexOnASingleNodeLeaderAnswersWithTheCommitIndex() {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1)));
    RawNodeHarness h = new RawNodeHarness(n, ms);
    h.drain();
    n.campaign();
    h.drain();
    n.readIndex(ByteString.copyFromUtf8("req-1"));
    Ready rd = n.ready();
    assertThat(rd.readStates()).containsExactly(new ReadState(2, ByteString.copyFromUtf8("req-1")));
    n.advance(rd);
  }

  @Test
  void appliedConfChangesComeBackAsTheirConfState() throws Exception {
    MemoryStorage ms = new MemoryStorage();
    RawNode n = node(1, ms);
    n.bootstrap(List.of(Peer.of(1), Peer.of(2)));
    Ready rd = n.ready();
    ConfState cs = n.applyConfChange(ConfChange.parseFrom(rd.committedEntries().get(1).getData()));
    assertThat(cs.getVotersList()).containsExactly(1L, 2L);
  }
}
