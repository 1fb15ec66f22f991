package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.quorum.JointConfig;
import io.ordo.raft.quorum.MajorityConfig;
import io.ordo.raft.tracker.ProgressState;
import io.ordo.raft.tracker.TrackerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The quiesce decision as a pure function of a node's progress state: each condition that keeps a
 * leader or a follower awake, on hand-made statuses, then the whole rule on three real raw nodes
 * (awake while a proposal travels, quiescent once every member matches and knows the commit).
 */
class QuiescenceTest {
  private static final LongPredicate EVERY_PEER = id -> true;
  private static final long LAST = 10;

  // ---------------------------------------------------------------- leader, hand-made statuses

  @Test
  void aLeaderWhoseFollowersMatchItsWholeCommittedAndAppliedLogMayQuiesce() {
    assertThat(Quiescence.leaderRefusal(leader(caughtUp(2), caughtUp(3)), LAST, EVERY_PEER))
        .isEmpty();
  }

  @Test
  void onlyALeaderQuiesces() {
    Status follower =
        new Status(
            1,
            Messages.hardState(2, 0, LAST),
            new SoftState(2, StateType.FOLLOWER),
            LAST,
            0,
            config(Set.of(1L, 2L, 3L), Set.of()),
            Map.of());
    assertThat(Quiescence.leaderRefusal(follower, LAST, EVERY_PEER)).hasValue("not the leader");
  }

  @Test
  void aLeadershipTransferKeepsItAwake() {
    Status st = leader(caughtUp(2), caughtUp(3));
    Status transferring =
        new Status(
            st.id(), st.hardState(), st.softState(), st.applied(), 3, st.config(), st.progress());
    assertThat(Quiescence.leaderRefusal(transferring, LAST, EVERY_PEER))
        .hasValue("leadership transfer to 3 under way");
  }

  @Test
  void anUncommittedOrUnappliedEntryKeepsItAwake() {
    Status st = leader(caughtUp(2), caughtUp(3));
    // the leader appended entry 11, not committed yet
    assertThat(Quiescence.leaderRefusal(st, LAST + 1, EVERY_PEER))
        .hasValue("commit 10 below last index 11");
    Status unapplied =
        new Status(
            st.id(), st.hardState(), st.softState(), LAST - 1, 0, st.config(), st.progress());
    assertThat(Quiescence.leaderRefusal(unapplied, LAST, EVERY_PEER))
        .hasValue("applied 9 below commit 10");
  }

  @Test
  void aFollowerBehindProbingOrSilentKeepsItAwake() {
    assertThat(Quiescence.leaderRefusal(leader(caughtUp(2), behind(3, LAST - 1)), LAST, EVERY_PEER))
        .hasValue("member 3 matches 9 of 10");
    assertThat(
            Quiescence.leaderRefusal(
                leader(caughtUp(2), progress(3, LAST, ProgressState.SNAPSHOT, true, 0)),
                LAST,
                EVERY_PEER))
        .hasValue("member 3 is in state StateSnapshot");
    // probed after a failed send, but matching the whole log: nothing to send it
    assertThat(
            Quiescence.leaderRefusal(
                leader(caughtUp(2), progress(3, LAST, ProgressState.PROBE, true, 0)),
                LAST,
                EVERY_PEER))
        .isEmpty();
    assertThat(
            Quiescence.leaderRefusal(
                leader(caughtUp(2), progress(3, LAST, ProgressState.REPLICATE, false, 0)),
                LAST,
                EVERY_PEER))
        .hasValue("member 3 was not heard from recently");
    assertThat(
            Quiescence.leaderRefusal(
                leader(caughtUp(2), progress(3, LAST, ProgressState.REPLICATE, true, 1)),
                LAST,
                EVERY_PEER))
        .hasValue("member 3 has messages in flight");
  }

  @Test
  void aMemberThatDoesNotQuiesceKeepsItAwake() {
    // the orderer's case: a Fabric consenter, which would take a silent leader for a dead one
    assertThat(Quiescence.leaderRefusal(leader(caughtUp(2), caughtUp(3)), LAST, id -> id != 3))
        .hasValue("member 3 does not quiesce");
  }

  @Test
  void aLearnerCountsAsAMember() {
    Status st = leader(caughtUp(2), caughtUp(3), behind(4, 3));
    Status withLearner =
        new Status(
            st.id(),
            st.hardState(),
            st.softState(),
            st.applied(),
            0,
            config(Set.of(1L, 2L, 3L), Set.of(4L)),
            st.progress());
    assertThat(Quiescence.leaderRefusal(withLearner, LAST, EVERY_PEER))
        .hasValue("member 4 matches 3 of 10");
  }

  @Test
  void aJointConfigurationKeepsItAwake() {
    Status st = leader(caughtUp(2), caughtUp(3));
    Status joint =
        new Status(
            st.id(),
            st.hardState(),
            st.softState(),
            st.applied(),
            0,
            new TrackerConfig(
                new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(1, 2)),
                true,
                Set.of(),
                Set.of()),
            st.progress());
    assertThat(Quiescence.leaderRefusal(joint, LAST, EVERY_PEER))
        .hasValue("a configuration change is under way");
  }

  @Test
  void theQuiesceHeartbeatCarriesTheTermAndTheCommit() {
    Message hb = Quiescence.heartbeat(leader(caughtUp(2), caughtUp(3)), 3);
    assertThat(hb.getType()).isEqualTo(MessageType.MsgHeartbeat);
    assertThat(hb.getFrom()).isEqualTo(1);
    assertThat(hb.getTo()).isEqualTo(3);
    assertThat(hb.getTerm()).isEqualTo(2);
    assertThat(hb.getCommit()).isEqualTo(LAST);
  }

  // ---------------------------------------------------------------- follower, hand-made statuses

  @Test
  void aFollowerThatKnowsTheCommitAndEndsThereAgrees() {
    assertThat(Quiescence.followerRefusal(follower(2, 1, LAST, LAST), LAST, quiesce(1, 2, LAST)))
        .isEmpty();
  }

  @Test
  void aFollowerRefusesWhatDoesNotMatchItsOwnView() {
    Status st = follower(2, 1, LAST, LAST);
    assertThat(Quiescence.followerRefusal(st, LAST, quiesce(1, 3, LAST)))
        .hasValue("term 2, heartbeat's 3");
    assertThat(Quiescence.followerRefusal(st, LAST, quiesce(3, 2, LAST)))
        .hasValue("leader 1, heartbeat from 3");
    // the empty append that carried the commit has not arrived yet
    assertThat(
            Quiescence.followerRefusal(
                follower(2, 1, LAST - 1, LAST - 1), LAST, quiesce(1, 2, LAST)))
        .hasValue("commit 9, heartbeat's 10");
    // an entry of an older term the leader does not have
    assertThat(Quiescence.followerRefusal(st, LAST + 1, quiesce(1, 2, LAST)))
        .hasValue("last index 11 beyond commit 10");
    assertThat(
            Quiescence.followerRefusal(follower(2, 1, LAST, LAST - 2), LAST, quiesce(1, 2, LAST)))
        .hasValue("applied 8 below commit 10");
    Status candidate =
        new Status(
            2,
            Messages.hardState(2, 0, LAST),
            new SoftState(0, StateType.PRE_CANDIDATE),
            LAST,
            0,
            config(Set.of(1L, 2L, 3L), Set.of()),
            Map.of());
    assertThat(Quiescence.followerRefusal(candidate, LAST, quiesce(1, 2, LAST)))
        .hasValue("not a follower but StatePreCandidate");
    assertThat(
            Quiescence.followerRefusal(
                st, LAST, Messages.message(MessageType.MsgApp, 2, 1, 2).setCommit(LAST).build()))
        .hasValue("not a heartbeat: MsgApp");
  }

  // ---------------------------------------------------------------- three raw nodes

  @Test
  void threeRawNodesQuiesceOnlyOnceAProposalIsCommittedAndKnownEverywhere() {
    Cluster c = new Cluster(3);
    c.electOne();
    RawNodeHarness leader = c.leader();

    leader.node.propose(ByteString.copyFromUtf8("block"));
    leader.drain();
    long last = leader.storage.lastIndex();
    // the append is on its way: not committed yet
    assertThat(Quiescence.leaderRefusal(leader.node.status(), last, EVERY_PEER))
        .get()
        .asString()
        .endsWith("below last index " + last);

    c.deliverAll();
    assertThat(Quiescence.leaderRefusal(leader.node.status(), last, EVERY_PEER)).isEmpty();
    for (RawNodeHarness f : c.followers()) {
      Message hb = Quiescence.heartbeat(leader.node.status(), f.node.status().id());
      assertThat(Quiescence.followerRefusal(f.node.status(), f.storage.lastIndex(), hb)).isEmpty();
    }
  }

  @Test
  void aFollowerThatHasNotHeardTheCommitRefusesAndRaftsAnswerWakesTheLeader() {
    Cluster c = new Cluster(3);
    c.electOne();
    RawNodeHarness leader = c.leader();
    RawNodeHarness late = c.followers().getFirst();
    long lateId = late.node.status().id();

    leader.node.propose(ByteString.copyFromUtf8("block"));
    leader.drain();
    // the followers take the entries and answer; the leader commits and sends the commit on, but
    // the message carrying it to one follower is lost
    c.deliverAll(
        m -> m.getTo() == lateId && m.getType() == MessageType.MsgApp && m.getEntriesCount() == 0);
    long last = leader.storage.lastIndex();
    assertThat(Quiescence.leaderRefusal(leader.node.status(), last, EVERY_PEER)).isEmpty();

    Message hb = Quiescence.heartbeat(leader.node.status(), lateId);
    assertThat(Quiescence.followerRefusal(late.node.status(), late.storage.lastIndex(), hb))
        .get()
        .asString()
        .startsWith("commit");
    // refused, the heartbeat is stepped as a plain one: it carries the commit, and raft answers
    late.sent.clear();
    late.node.step(hb);
    late.drain();
    assertThat(late.node.status().commit()).isEqualTo(last);
    assertThat(late.sent)
        .extracting(Message::getType)
        .containsExactly(MessageType.MsgHeartbeatResp);
  }

  /** Raw nodes exchanging messages by hand, each Ready handled by a {@link RawNodeHarness}. */
  private static final class Cluster {
    private final Map<Long, RawNodeHarness> nodes = new LinkedHashMap<>();

    Cluster(int size) {
      List<Peer> peers = new ArrayList<>();
      for (long id = 1; id <= size; id++) {
        peers.add(Peer.of(id));
      }
      for (long id = 1; id <= size; id++) {
        MemoryStorage ms = new MemoryStorage();
        RawNode n =
            new RawNode(Config.fabricDefaults(id, ms).random(new SplittableRandom(id)).build());
        n.bootstrap(peers);
        nodes.put(id, new RawNodeHarness(n, ms));
      }
      nodes.values().forEach(RawNodeHarness::drain);
    }

    void electOne() {
      nodes.get(1L).node.campaign();
      deliverAll();
      assertThat(leader()).isNotNull();
    }

    RawNodeHarness leader() {
      return nodes.values().stream()
          .filter(h -> h.node.status().raftState() == StateType.LEADER)
          .findFirst()
          .orElse(null);
    }

    List<RawNodeHarness> followers() {
      return nodes.values().stream()
          .filter(h -> h.node.status().raftState() == StateType.FOLLOWER)
          .toList();
    }

    void deliverAll() {
      deliverAll(m -> false);
    }

    /** Delivers until no node has anything to send, losing the messages {@code lost} picks. */
    void deliverAll(java.util.function.Predicate<Message> lost) {
      for (int round = 0; round < 100; round++) {
        Map<Long, List<Message>> out = new HashMap<>();
        for (RawNodeHarness h : nodes.values()) {
          h.drain();
          for (Message m : h.sent) {
            out.computeIfAbsent(m.getTo(), k -> new ArrayList<>()).add(m);
          }
          h.sent.clear();
        }
        if (out.isEmpty()) {
          return;
        }
        out.forEach(
            (to, msgs) -> {
              for (Message m : msgs) {
                if (!lost.test(m)) {
                  nodes.get(to).node.step(m);
                }
              }
            });
      }
      throw new AssertionError("messages never stopped");
    }
  }

  // ---------------------------------------------------------------- statuses

  private record Member(long id, ProgressStatus progress) {}

  private static Member caughtUp(long id) {
    return progress(id, LAST, ProgressState.REPLICATE, true, 0);
  }

  private static Member behind(long id, long match) {
    return progress(id, match, ProgressState.REPLICATE, true, 0);
  }

  private static Member progress(
      long id, long match, ProgressState state, boolean active, int inflight) {
    return new Member(
        id, new ProgressStatus(match, match + 1, state, false, 0, active, false, inflight));
  }

  /** Node 1 leads term 2 with a committed and applied log ending at {@link #LAST}. */
  private static Status leader(Member... followers) {
    Map<Long, ProgressStatus> progress = new LinkedHashMap<>();
    progress.put(
        1L, new ProgressStatus(LAST, LAST + 1, ProgressState.REPLICATE, false, 0, true, false, 0));
    Set<Long> voters = new java.util.TreeSet<>(Set.of(1L));
    for (Member m : followers) {
      progress.put(m.id(), m.progress());
      voters.add(m.id());
    }
    return new Status(
        1,
        Messages.hardState(2, 1, LAST),
        new SoftState(1, StateType.LEADER),
        LAST,
        0,
        config(voters, Set.of()),
        progress);
  }

  private static Status follower(long id, long lead, long commit, long applied) {
    return new Status(
        id,
        Messages.hardState(2, lead, commit),
        new SoftState(lead, StateType.FOLLOWER),
        applied,
        0,
        config(Set.of(1L, 2L, 3L), Set.of()),
        Map.of());
  }

  private static TrackerConfig config(Set<Long> voters, Set<Long> learners) {
    return new TrackerConfig(JointConfig.of(MajorityConfig.of(voters)), false, learners, Set.of());
  }

  private static Message quiesce(long from, long term, long commit) {
    return Messages.message(MessageType.MsgHeartbeat, 2, from, term).setCommit(commit).build();
  }
}
