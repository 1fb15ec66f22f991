package io.ordo.raft.tracker;

import io.ordo.raft.pb.ConfState;
import io.ordo.raft.quorum.AckedIndexer;
import io.ordo.raft.quorum.VoteResult;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The active configuration together with the progress of every member and the votes of the current
 * election. Owned by one raft instance and used from its thread only.
 */
public final class ProgressTracker {
  private final int maxInflight;
  private TrackerConfig config = TrackerConfig.empty();
  private TreeMap<Long, Progress> progress = new TreeMap<>();
  private final Map<Long, Boolean> votes = new HashMap<>();
  private final AckedIndexer matchIndexer = this::matchOf;

  /**
   * @param maxInflight the in-flight window given to each new member's {@link Inflights}
   */
  public ProgressTracker(int maxInflight) {
    if (maxInflight < 0) {
      throw new IllegalArgumentException("maxInflight must not be negative: " + maxInflight);
    }
    this.maxInflight = maxInflight;
  }

  public int maxInflight() {
    return maxInflight;
  }

  public TrackerConfig config() {
    return config;
  }

  public void config(TrackerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The live progress map, iterating in ascending id order. */
  public Map<Long, Progress> progress() {
    return progress;
  }

  /** Installs the given progresses (the map is copied, the {@link Progress} objects are not). */
  public void progress(Map<Long, Progress> progress) {
    this.progress = new TreeMap<>(progress);
  }

  /** The configuration as raft persists it: every list ascending, {@code auto_leave} always set. */
  public ConfState confState() {
    return ConfState.newBuilder()
        .addAllVoters(config.voters().incoming().idSet())
        .addAllLearners(config.learners())
        .addAllVotersOutgoing(config.voters().outgoing().idSet())
        .addAllLearnersNext(config.learnersNext())
        .setAutoLeave(config.autoLeave())
        .build();
  }

  /** True if (and only if) there is exactly one voter and no joint phase. */
  public boolean isSingleton() {
    return config.voters().incoming().size() == 1 && !config.voters().isJoint();
  }

  /** The highest index acknowledged by a quorum of the voters, judged by their match indexes. */
  public long committed() {
    return config.voters().committedIndex(matchIndexer);
  }

  private long matchOf(long id) {
    Progress pr = progress.get(id);
    return pr == null ? 0 : pr.match();
  }

  /** Calls {@code f} for every tracked member in ascending id order. */
  public void visit(BiConsumer<Long, Progress> f) {
    progress.forEach(f);
  }

  /**
   * Whether the voters heard from recently form a quorum, as a leader checks before it keeps its
   * role (check-quorum).
   */
  public boolean quorumActive() {
    Map<Long, Boolean> active = new HashMap<>();
    progress.forEach(
        (id, pr) -> {
          if (!pr.isLearner()) {
            active.put(id, pr.recentActive());
          }
        });
    return config.voters().voteResult(active) == VoteResult.WON;
  }

  /** The voters of both halves, ascending. */
  public long[] voterNodes() {
    return toArray(config.voters().ids());
  }

  /** The learners, ascending (not the staged {@code learnersNext}). */
  public long[] learnerNodes() {
    return toArray(config.learners());
  }

  private static long[] toArray(Set<Long> ids) {
    long[] out = new long[ids.size()];
    int i = 0;
    for (long id : ids) {
      out[i++] = id;
    }
    return out;
  }

  /** Clears the votes before a new election. */
  public void resetVotes() {
    votes.clear();
  }

  /** Records the vote of {@code id}; later votes of the same node in this election are ignored. */
  public void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  /** The votes recorded since the last {@link #resetVotes()}, read-only. */
  public Map<Long, Boolean> votes() {
    return Collections.unmodifiableMap(votes);
  }

  /**
   * Counts the recorded votes. The counts cover tracked non-learners only, so votes of nodes that
   * left the configuration are not reported; the result is decided by the voters' quorum rules.
   */
  public TallyResult tallyVotes() {
    int granted = 0;
    int rejected = 0;
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      if (e.getValue().isLearner()) {
        continue;
      }
      Boolean vote = votes.get(e.getKey());
      if (vote == null) {
        continue;
      }
      if (vote) {
        granted++;
      } else {
        rejected++;
      }
    }
    return new TallyResult(granted, rejected, config.voters().voteResult(votes));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(config.toString());
    progress.forEach((id, pr) -> sb.append('\n').append(id).append(": ").append(pr));
    return sb.toString();
  }
}
