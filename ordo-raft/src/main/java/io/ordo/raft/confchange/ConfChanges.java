package io.ordo.raft.confchange;

import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeTransition;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The helpers etcd keeps on its raftpb conf-change and conf-state messages. */
public final class ConfChanges {
  private ConfChanges() {}

  /**
   * The v2 form of a v1 change: one single change, automatic transition, same context. Fields are
   * set explicitly so the message encodes as etcd's does.
   */
  public static ConfChangeV2 asV2(ConfChange cc) {
    ConfChangeV2.Builder v2 =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionAuto)
            .addChanges(
                ConfChangeSingle.newBuilder().setType(cc.getType()).setNodeId(cc.getNodeId()));
    if (cc.hasContext()) {
      v2.setContext(cc.getContext());
    }
    return v2.build();
  }

  /** A v2 change is already in v2 form. */
  public static ConfChangeV2 asV2(ConfChangeV2 cc) {
    return cc;
  }

  /**
   * Whether applying {@code cc} goes through a joint phase, and if so whether raft leaves it by
   * itself. Any explicit transition or more than one change uses joint consensus; only a single
   * change with the automatic transition is applied directly.
   *
   * @return the auto-leave flag if {@code cc} enters a joint configuration, empty otherwise
   */
  public static Optional<Boolean> enterJoint(ConfChangeV2 cc) {
    ConfChangeTransition transition = cc.getTransition();
    if (transition == ConfChangeTransition.ConfChangeTransitionAuto && cc.getChangesCount() <= 1) {
      return Optional.empty();
    }
    return Optional.of(transition != ConfChangeTransition.ConfChangeTransitionJointExplicit);
  }

  /** Whether {@code cc} is the empty change that asks to leave a joint configuration. */
  public static boolean leaveJoint(ConfChangeV2 cc) {
    return cc.getTransition() == ConfChangeTransition.ConfChangeTransitionAuto
        && cc.getChangesCount() == 0;
  }

  /** Whether two conf states describe the same configuration, ignoring the order of ids. */
  public static boolean equivalent(ConfState a, ConfState b) {
    return describeDifference(a, b).isEmpty();
  }

  /**
   * Explains how two conf states differ once each id list is sorted, or empty if they are
   * equivalent.
   */
  public static Optional<String> describeDifference(ConfState a, ConfState b) {
    List<String> diffs = new ArrayList<>();
    compare("voters", a.getVotersList(), b.getVotersList(), diffs);
    compare("learners", a.getLearnersList(), b.getLearnersList(), diffs);
    compare("voters_outgoing", a.getVotersOutgoingList(), b.getVotersOutgoingList(), diffs);
    compare("learners_next", a.getLearnersNextList(), b.getLearnersNextList(), diffs);
    if (a.getAutoLeave() != b.getAutoLeave()) {
      diffs.add("auto_leave " + a.getAutoLeave() + " vs " + b.getAutoLeave());
    }
    return diffs.isEmpty()
        ? Optional.empty()
        : Optional.of("conf states not equivalent after sorting: " + String.join("; ", diffs));
  }

  private static void compare(String field, List<Long> a, List<Long> b, List<String> diffs) {
    List<Long> sortedA = sorted(a);
    List<Long> sortedB = sorted(b);
    if (!sortedA.equals(sortedB)) {
      diffs.add(field + " " + sortedA + " vs " + sortedB);
    }
  }

  private static List<Long> sorted(List<Long> ids) {
    List<Long> copy = new ArrayList<>(ids);
    Collections.sort(copy);
    return copy;
  }

  /**
   * The changes as etcd describes them in logs, space-separated, e.g. {@code ConfChangeAddNode(1)
   * ConfChangeRemoveNode(2)}.
   */
  public static String describe(List<ConfChangeSingle> ccs) {
    StringBuilder sb = new StringBuilder();
    for (ConfChangeSingle cc : ccs) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(cc.getType().name()).append('(').append(cc.getNodeId()).append(')');
    }
    return sb.toString();
  }
}
