package io.ordo.raft;

import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.tracker.ProgressState;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * When an idle raft group may stop ticking: the rules of quiescence, as pure functions over a
 * node's {@link Status}. Not part of etcd raft, and nothing in {@link RawNode} changes: an
 * application that quiesces simply stops calling {@link RawNode#tick} (so the leader sends no
 * heartbeats and no follower's election timer runs) and starts again when anything happens.
 *
 * <p>The protocol, after CockroachDB's quiescence (its {@code shouldReplicaQuiesce} and {@code
 * shouldFollowerQuiesceOnNotify}) and TiKV's hibernate regions:
 *
 * <ol>
 *   <li>At a tick, a leader that {@link #leaderRefusal may} quiesce sends each follower {@link
 *       #heartbeat a quiesce heartbeat} (a plain MsgHeartbeat of its term carrying its commit,
 *       marked as such by the transport) instead of ticking, and stops ticking.
 *   <li>A follower that receives one quiesces, without stepping it, when it {@link #followerRefusal
 *       agrees}: same term and leader, its log ends at that commit and it knows the commit. When it
 *       does not agree, it steps the heartbeat as any other; raft's answer wakes the leader.
 *   <li>Any message, proposal or sign of a lost peer wakes a quiet node: it ticks again from where
 *       it stopped. A quiet group never ticks, so the application watches its peers by other means
 *       (the orderer: one heartbeat per pair of nodes for all their quiet groups) and wakes the
 *       group when the leader's node goes silent; the election then runs as usual.
 * </ol>
 *
 * <p>Safety does not depend on these rules: a quiesce heartbeat is a valid raft heartbeat (its
 * commit is at most each follower's match), and not ticking only delays what ticking would do.
 */
public final class Quiescence {
  private Quiescence() {}

  /**
   * Why a leader may not quiesce now, or empty when it may. It may when it leads with no transfer
   * under way, every entry of its log is committed and handed out for applying, the configuration
   * is not joint, and every other member (voter or learner) is not being sent a snapshot, matches
   * the whole log, was heard from recently, has nothing in flight, and is one {@code peerQuiesces}
   * accepts (the orderer: an Ordo node, never a Fabric one).
   *
   * <p>The caller also checks what the status does not show: no Ready pending, no proposal queued,
   * no message waiting to be stepped, and its own application idle.
   *
   * @param lastIndex the index of the last entry in the leader's log
   */
  public static Optional<String> leaderRefusal(
      Status status, long lastIndex, LongPredicate peerQuiesces) {
    if (status.raftState() != StateType.LEADER) {
      return Optional.of("not the leader");
    }
    if (status.leadTransferee() != 0) {
      return Optional.of("leadership transfer to " + status.leadTransferee() + " under way");
    }
    if (status.commit() != lastIndex) {
      return Optional.of("commit " + status.commit() + " below last index " + lastIndex);
    }
    if (status.applied() != status.commit()) {
      return Optional.of("applied " + status.applied() + " below commit " + status.commit());
    }
    if (status.config().voters().isJoint() || !status.config().learnersNext().isEmpty()) {
      return Optional.of("a configuration change is under way");
    }
    Map<Long, ProgressStatus> progress = status.progress();
    if (!progress.containsKey(status.id())) {
      return Optional.of("not a member of its own configuration");
    }
    for (Map.Entry<Long, ProgressStatus> e : progress.entrySet()) {
      long id = e.getKey();
      if (id == status.id()) {
        continue;
      }
      ProgressStatus pr = e.getValue();
      // a member probed with its whole log matched has nothing to be sent (etcd raft leaves it in
      // probe until the next append, which the first proposal after waking is)
      if (pr.state() == ProgressState.SNAPSHOT) {
        return Optional.of("member " + id + " is in state " + pr.state());
      }
      if (pr.match() != lastIndex) {
        return Optional.of("member " + id + " matches " + pr.match() + " of " + lastIndex);
      }
      if (!pr.recentActive()) {
        return Optional.of("member " + id + " was not heard from recently");
      }
      if (pr.inflight() != 0 || pr.pendingSnapshot() != 0) {
        return Optional.of("member " + id + " has messages in flight");
      }
      if (!peerQuiesces.test(id)) {
        return Optional.of("member " + id + " does not quiesce");
      }
    }
    return Optional.empty();
  }

  /**
   * The quiesce heartbeat from the leader of {@code status} to {@code to}: its term, and its
   * commit, which {@link #leaderRefusal} made equal to every member's match.
   */
  public static Message heartbeat(Status status, long to) {
    return Messages.message(MessageType.MsgHeartbeat, to, status.id(), status.term())
        .setCommit(status.commit())
        .build();
  }

  /**
   * Why a follower may not quiesce on {@code heartbeat}, a quiesce heartbeat it received, or empty
   * when it may: it follows the sender in the heartbeat's term, knows the heartbeat's commit, has
   * handed out every committed entry for applying, and its log ends there (an entry beyond it is
   * one the leader does not count on, which only waking resolves).
   *
   * <p>The caller also checks that no Ready is pending. When it refuses, it steps the heartbeat as
   * a plain one: raft answers it, which wakes the leader.
   *
   * @param lastIndex the index of the last entry in the follower's log
   */
  public static Optional<String> followerRefusal(Status status, long lastIndex, Message heartbeat) {
    if (heartbeat.getType() != MessageType.MsgHeartbeat) {
      return Optional.of("not a heartbeat: " + heartbeat.getType());
    }
    if (status.raftState() != StateType.FOLLOWER) {
      return Optional.of("not a follower but " + status.raftState());
    }
    if (status.term() != heartbeat.getTerm()) {
      return Optional.of("term " + status.term() + ", heartbeat's " + heartbeat.getTerm());
    }
    if (status.lead() != heartbeat.getFrom()) {
      return Optional.of("leader " + status.lead() + ", heartbeat from " + heartbeat.getFrom());
    }
    if (status.commit() != heartbeat.getCommit()) {
      return Optional.of("commit " + status.commit() + ", heartbeat's " + heartbeat.getCommit());
    }
    if (lastIndex != status.commit()) {
      return Optional.of("last index " + lastIndex + " beyond commit " + status.commit());
    }
    if (status.applied() != status.commit()) {
      return Optional.of("applied " + status.applied() + " below commit " + status.commit());
    }
    return Optional.empty();
  }
}
