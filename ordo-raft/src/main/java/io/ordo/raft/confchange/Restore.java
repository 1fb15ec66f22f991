package io.ordo.raft.confchange;

import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Rebuilds a configuration from a {@link ConfState} (read from a snapshot or at restart) by
 * replaying changes through a {@link Changer}, so that the restored configuration passes the same
 * checks as one built change by change.
 */
public final class Restore {
  private Restore() {}

  /**
   * Enacts {@code cs} on top of the configuration of {@code chg}, which must be empty.
   *
   * <p>A joint {@code cs} is built in two steps: its outgoing voters are added one by one as a
   * plain configuration, then a single joint change replaces them by the incoming voters and adds
   * the learners. Voters demoted to learners appear in {@code learners_next} and are re-added as
   * learners, which the changer stages because they are still outgoing voters.
   *
   * @throws ConfChangeException if {@code cs} is not a valid configuration
   */
  public static Changer.Result restore(Changer chg, ConfState cs) {
    List<ConfChangeSingle> outgoing = new ArrayList<>();
    List<ConfChangeSingle> incoming = new ArrayList<>();
    for (long id : cs.getVotersOutgoingList()) {
      outgoing.add(change(ConfChangeType.ConfChangeAddNode, id));
    }
    for (long id : cs.getVotersOutgoingList()) {
      incoming.add(change(ConfChangeType.ConfChangeRemoveNode, id));
    }
    for (long id : cs.getVotersList()) {
      incoming.add(change(ConfChangeType.ConfChangeAddNode, id));
    }
    for (long id : cs.getLearnersList()) {
      incoming.add(change(ConfChangeType.ConfChangeAddLearnerNode, id));
    }
    for (long id : cs.getLearnersNextList()) {
      incoming.add(change(ConfChangeType.ConfChangeAddLearnerNode, id));
    }

    ProgressTracker tracker = chg.tracker();
    Changer.Result result = new Changer.Result(tracker.config(), new TreeMap<>(tracker.progress()));
    if (outgoing.isEmpty()) {
      for (ConfChangeSingle cc : incoming) {
        result = next(chg, result).simple(List.of(cc));
      }
    } else {
      for (ConfChangeSingle cc : outgoing) {
        result = next(chg, result).simple(List.of(cc));
      }
      result = next(chg, result).enterJoint(cs.getAutoLeave(), incoming);
    }
    return result;
  }

  /**
   * A changer on a scratch tracker holding {@code previous}, so the caller's tracker stays intact.
   */
  private static Changer next(Changer chg, Changer.Result previous) {
    ProgressTracker scratch = new ProgressTracker(chg.tracker().maxInflight());
    scratch.config(previous.config());
    scratch.progress(previous.progress());
    return new Changer(scratch, chg.lastIndex());
  }

  private static ConfChangeSingle change(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }
}
