package io.ordo.raft.tracker;

import java.util.Objects;

/**
 * What the leader knows about one follower's log and how it currently replicates to it.
 *
 * <p>Mutable and owned by the leader's single thread. {@code match} is the highest index known to
 * be in the follower's log; {@code next} is the index of the next entry to send.
 */
public final class Progress {
  private long match;
  private long next;
  private ProgressState state = ProgressState.PROBE;
  private long pendingSnapshot;
  private boolean recentActive;
  private boolean probeSent;
  private final Inflights inflights;
  private boolean isLearner;

  /** A progress in state {@link ProgressState#PROBE}. */
  public Progress(
      long match, long next, Inflights inflights, boolean isLearner, boolean recentActive) {
    this.match = match;
    this.next = next;
    this.inflights = Objects.requireNonNull(inflights, "inflights");
    this.isLearner = isLearner;
    this.recentActive = recentActive;
  }

  private Progress(Progress other) {
    this.match = other.match;
    this.next = other.next;
    this.state = other.state;
    this.pendingSnapshot = other.pendingSnapshot;
    this.recentActive = other.recentActive;
    this.probeSent = other.probeSent;
    this.inflights = other.inflights;
    this.isLearner = other.isLearner;
  }

  /**
   * A copy of every field that shares the {@link Inflights}: configuration changes only flip the
   * learner flag on their copies, and the live window must keep being the one the leader uses.
   */
  public Progress copy() {
    return new Progress(this);
  }

  public long match() {
    return match;
  }

  public void match(long match) {
    this.match = match;
  }

  public long next() {
    return next;
  }

  public void next(long next) {
    this.next = next;
  }

  public ProgressState state() {
    return state;
  }

  /**
   * In {@link ProgressState#PROBE}: a probe is out and nothing more is sent until it is answered.
   */
  public boolean probeSent() {
    return probeSent;
  }

  public void probeSent(boolean probeSent) {
    this.probeSent = probeSent;
  }

  /** In {@link ProgressState#SNAPSHOT}: the index of the snapshot being sent, otherwise 0. */
  public long pendingSnapshot() {
    return pendingSnapshot;
  }

  public void pendingSnapshot(long pendingSnapshot) {
    this.pendingSnapshot = pendingSnapshot;
  }

  /** Whether the follower was heard from since the last check-quorum round. */
  public boolean recentActive() {
    return recentActive;
  }

  public void recentActive(boolean recentActive) {
    this.recentActive = recentActive;
  }

  public boolean isLearner() {
    return isLearner;
  }

  public void isLearner(boolean isLearner) {
    this.isLearner = isLearner;
  }

  public Inflights inflights() {
    return inflights;
  }

  private void resetState(ProgressState newState) {
    probeSent = false;
    pendingSnapshot = 0;
    state = newState;
    inflights.reset();
  }

  /**
   * Back to probing from {@code match + 1}; after a snapshot, from past the snapshot if that is
   * further, since the follower has applied it.
   */
  public void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long snapshotIndex = pendingSnapshot;
      resetState(ProgressState.PROBE);
      next = Math.max(match + 1, snapshotIndex + 1);
    } else {
      resetState(ProgressState.PROBE);
      next = match + 1;
    }
  }

  /** Starts streaming appends from {@code match + 1}. */
  public void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  /** Stops appends while the snapshot at {@code snapshotIndex} is sent. */
  public void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /**
   * Takes in an acknowledgement of index {@code n}.
   *
   * @return false if the acknowledgement is stale (nothing new matched)
   */
  public boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    if (next < n + 1) {
      next = n + 1;
    }
    return updated;
  }

  /** Records that appends up to {@code n} are in flight, so the next one starts at {@code n+1}. */
  public void optimisticUpdate(long n) {
    next = n + 1;
  }

  /**
   * Takes in a rejection of the append at {@code rejected}; {@code matchHint} is the follower's
   * hint of where its log may match (its last index in etcd v3.5).
   *
   * <p>Rejections arrive late or duplicated. When replicating, a rejection at or below {@code
   * match} is stale. When probing, only one append is out at a time, so a rejection of anything but
   * {@code next - 1} is stale.
   *
   * @return false if the rejection was stale and nothing changed
   */
  public boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), 1);
    probeSent = false;
    return true;
  }

  /**
   * The follower lost entries it had acknowledged and holds up to {@code lastIndex}: the only case
   * where {@code match} goes down. Probing starts again from there.
   */
  public void lostLog(long lastIndex) {
    match = Math.min(match, lastIndex);
    resetState(ProgressState.PROBE);
    next = match + 1;
  }

  /** Whether sending appends to this follower is currently held back. */
  public boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  /**
   * As etcd prints it, e.g. {@code StateReplicate match=5 next=6 learner paused inflight=2[full]}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(state).append(" match=").append(match).append(" next=").append(next);
    if (isLearner) {
      sb.append(" learner");
    }
    if (isPaused()) {
      sb.append(" paused");
    }
    if (pendingSnapshot > 0) {
      sb.append(" pendingSnap=").append(pendingSnapshot);
    }
    if (!recentActive) {
      sb.append(" inactive");
    }
    int inflight = inflights.count();
    if (inflight > 0) {
      sb.append(" inflight=").append(inflight);
      if (inflights.full()) {
        sb.append("[full]");
      }
    }
    return sb.toString();
  }
}
