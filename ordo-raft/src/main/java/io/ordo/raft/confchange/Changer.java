package io.ordo.raft.confchange;

import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.tracker.Inflights;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressTracker;
import io.ordo.raft.tracker.TrackerConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Computes the configuration that results from applying changes to a tracker's configuration,
 * refusing invalid changes before they can affect the active configuration.
 *
 * <p>Changes to voters always apply to the incoming half; the outgoing half only preserves the
 * previous voters during a joint phase. The tracker given is read, never modified: the caller
 * installs the {@link Result}.
 */
public final class Changer {
  private final ProgressTracker tracker;
  private final long lastIndex;

  /**
   * @param tracker the current configuration and progresses
   * @param lastIndex the leader's last log index, where new members start being probed
   */
  public Changer(ProgressTracker tracker, long lastIndex) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.lastIndex = lastIndex;
  }

  public ProgressTracker tracker() {
    return tracker;
  }

  public long lastIndex() {
    return lastIndex;
  }

  /**
   * A new configuration and the progresses that go with it.
   *
   * @param config the configuration to install
   * @param progress one progress per member of {@code config}, ascending by id, unmodifiable
   */
  public record Result(TrackerConfig config, Map<Long, Progress> progress) {
    public Result {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(progress, "progress");
    }
  }

  /**
   * Enters a joint configuration: the current voters become the outgoing half and the changes are
   * applied to the incoming half ({@code C_old,new} of the Raft thesis, section 4.3).
   *
   * @param autoLeave whether raft should leave the joint phase by itself
   * @throws ConfChangeException if already joint, if there are no voters, or the changes are
   *     invalid
   */
  public Result enterJoint(boolean autoLeave, List<ConfChangeSingle> ccs) {
    WorkingConfig cfg = checkAndCopy();
    if (cfg.isJoint()) {
      throw new ConfChangeException("config is already joint");
    }
    if (cfg.incoming.isEmpty()) {
      // Bootstrap may add voters to an empty config one by one, but can't go through a joint phase.
      throw new ConfChangeException("can't make a zero-voter config joint");
    }
    cfg.outgoing.clear();
    cfg.outgoing.addAll(cfg.incoming);
    apply(cfg, ccs);
    cfg.autoLeave = autoLeave;
    cfg.checkInvariants();
    return cfg.toResult();
  }

  /**
   * Leaves the joint phase: the incoming half alone decides, staged learners become learners, and
   * the progress of nodes that are no longer members is dropped.
   *
   * @throws ConfChangeException if the configuration is not joint
   */
  public Result leaveJoint() {
    WorkingConfig cfg = checkAndCopy();
    if (!cfg.isJoint()) {
      throw new ConfChangeException("can't leave a non-joint config");
    }
    for (long id : cfg.learnersNext) {
      cfg.learners.add(id);
      cfg.progress.get(id).isLearner(true);
    }
    cfg.learnersNext.clear();
    for (long id : cfg.outgoing) {
      if (!cfg.incoming.contains(id) && !cfg.learners.contains(id)) {
        cfg.progress.remove(id);
      }
    }
    cfg.outgoing.clear();
    cfg.autoLeave = false;
    cfg.checkInvariants();
    return cfg.toResult();
  }

  /**
   * Applies changes that, taken together, add or remove at most one voter, without a joint phase.
   *
   * @throws ConfChangeException if joint, if more than one voter changes, if no voter would remain,
   *     or the changes are invalid
   */
  public Result simple(List<ConfChangeSingle> ccs) {
    WorkingConfig cfg = checkAndCopy();
    if (cfg.isJoint()) {
      throw new ConfChangeException("can't apply simple config change in joint config");
    }
    apply(cfg, ccs);
    if (symmetricDifference(tracker.config().voters().incoming().idSet(), cfg.incoming) > 1) {
      throw new ConfChangeException("more than one voter changed without entering joint config");
    }
    cfg.checkInvariants();
    return cfg.toResult();
  }

  private WorkingConfig checkAndCopy() {
    WorkingConfig cfg = new WorkingConfig(tracker.config(), tracker.progress());
    cfg.checkInvariants();
    return cfg;
  }

  private void apply(WorkingConfig cfg, List<ConfChangeSingle> ccs) {
    for (ConfChangeSingle cc : ccs) {
      if (cc.getNodeId() == 0) {
        // An application that decides not to apply a change zeroes its node id.
        continue;
      }
      checkKnownType(cc);
      switch (cc.getType()) {
        case ConfChangeAddNode -> makeVoter(cfg, cc.getNodeId());
        case ConfChangeAddLearnerNode -> makeLearner(cfg, cc.getNodeId());
        case ConfChangeRemoveNode -> remove(cfg, cc.getNodeId());
        case ConfChangeUpdateNode -> {
          // Carries application data only; membership is unchanged.
        }
      }
    }
    if (cfg.incoming.isEmpty()) {
      throw new ConfChangeException("removed all voters");
    }
  }

  /**
   * A proto2 enum value this code does not know is parsed as the default (AddNode) and kept among
   * the unknown fields; refuse it rather than add a voter nobody asked for.
   */
  private static void checkKnownType(ConfChangeSingle cc) {
    if (!cc.hasType() && cc.getUnknownFields().hasField(ConfChangeSingle.TYPE_FIELD_NUMBER)) {
      List<Long> raw =
          cc.getUnknownFields().getField(ConfChangeSingle.TYPE_FIELD_NUMBER).getVarintList();
      throw new ConfChangeException(
          "unexpected conf type " + (raw.isEmpty() ? "?" : raw.get(raw.size() - 1)));
    }
  }

  /** Adds {@code id} as a voter of the incoming half, promoting it if it is a learner. */
  private void makeVoter(WorkingConfig cfg, long id) {
    Progress pr = cfg.progress.get(id);
    if (pr == null) {
      addNew(cfg, id, false);
      return;
    }
    pr.isLearner(false);
    cfg.learners.remove(id);
    cfg.learnersNext.remove(id);
    cfg.incoming.add(id);
  }

  /**
   * Makes {@code id} a learner. A voter still in the outgoing half is only staged in {@code
   * learnersNext}: it can't be voter and learner at once, so it becomes a learner when the joint
   * phase is left.
   */
  private void makeLearner(WorkingConfig cfg, long id) {
    Progress pr = cfg.progress.get(id);
    if (pr == null) {
      addNew(cfg, id, true);
      return;
    }
    if (pr.isLearner()) {
      return;
    }
    remove(cfg, id);
    // Keep the progress: the node stays a member, only its role changes.
    cfg.progress.put(id, pr);
    if (cfg.outgoing.contains(id)) {
      cfg.learnersNext.add(id);
    } else {
      pr.isLearner(true);
      cfg.learners.add(id);
    }
  }

  /** Removes {@code id} from the incoming half and the learners. */
  private void remove(WorkingConfig cfg, long id) {
    if (!cfg.progress.containsKey(id)) {
      return;
    }
    cfg.incoming.remove(id);
    cfg.learners.remove(id);
    cfg.learnersNext.remove(id);
    // An outgoing voter still counts in the joint phase and keeps its progress until it ends.
    if (!cfg.outgoing.contains(id)) {
      cfg.progress.remove(id);
    }
  }

  private void addNew(WorkingConfig cfg, long id, boolean isLearner) {
    if (isLearner) {
      cfg.learners.add(id);
    } else {
      cfg.incoming.add(id);
    }
    // etcd v3.5 probes a new member at the leader's last index (not last index + 1); the first
    // rejection then moves it back to where the member's log actually ends.
    cfg.progress.put(
        id, new Progress(0, lastIndex, new Inflights(tracker.maxInflight()), isLearner, true));
  }

  private static int symmetricDifference(Set<Long> a, Set<Long> b) {
    int n = 0;
    for (long id : a) {
      if (!b.contains(id)) {
        n++;
      }
    }
    for (long id : b) {
      if (!a.contains(id)) {
        n++;
      }
    }
    return n;
  }
}
