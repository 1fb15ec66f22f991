package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.channelconfig.EtcdRaftConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.ops.ChannelLog;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consenter set changes as the chain carries them out (Fabric's etcdraft conf change handling): a
 * config block that adds or removes a consenter becomes a raft conf change that the leader proposes
 * and proposes again until it is applied; a new leader proposes the one the previous leader could
 * not finish; a node removed halts once its removal is applied or two election timeouts after the
 * config block; a leader asked to order a config that removes it or rotates its certificate hands
 * leadership over first and re-submits the config to the new leader. Owned by the chain loop,
 * except the abdication, which runs on a virtual thread of its own.
 */
final class MembershipChanges {
  private static final Logger log = LoggerFactory.getLogger(MembershipChanges.class);

  /** Fabric's AbdicationMaxAttempts. */
  private static final int ABDICATION_ATTEMPTS = 5;

  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** What the changes ask of the raft node. */
  interface Raft {
    /** Proposes a conf change under {@code term}. */
    void proposeConfChange(long term, ConfChange change);

    /** Hands leadership to the most caught-up active follower. */
    void transferLeadership();
  }

  /** The channel's consensus state as the last written block and applied entries left it. */
  interface Current {
    /** The consenters by raft ID. */
    Map<Long, RaftConsenter> consenters();

    /** The etcdraft BlockMetadata of the last written block. */
    BlockMetadata blockMetadata();

    /** The raft configuration after what was applied. */
    ConfState confState();
  }

  /** What a conf change entry applied by the node meant for the chain. */
  enum Applied {
    /** Not the change in progress, or a no-op. */
    OTHER,
    /** The conf change this chain was waiting for: intake may open again. */
    IN_PROGRESS_DONE,
    /** This node was removed: the chain halts. */
    SELF_REMOVED
  }

  private final String channel;
  private final long raftId;
  private final Raft raft;
  private final ChainMembership membership;
  private final Current applier;
  private final long electionTimeoutNanos;
  private final LongSupplier leader;
  private final BooleanSupplier running;
  private final Consumer<SubmitRequest> resubmit;
  private final AtomicBoolean abdicating = new AtomicBoolean();

  private ConfChange inProgress;
  private long retryAt;
  private boolean removed;
  private long evictionDeadline;

  /** The config block that removed this node; the ledger's last block until one did. */
  private long removalBlock = -1;

  /**
   * @param leader the leader the chain knows, 0 for none
   * @param running whether the chain still runs
   * @param resubmit submits a request to the current leader, throwing {@link
   *     ChainUnavailableException} when it cannot
   */
  MembershipChanges(
      String channel,
      long raftId,
      Options options,
      Raft raft,
      ChainMembership membership,
      Current applier,
      LongSupplier leader,
      BooleanSupplier running,
      Consumer<SubmitRequest> resubmit) {
    this.channel = channel;
    this.raftId = raftId;
    this.raft = raft;
    this.membership = membership;
    this.applier = applier;
    this.electionTimeoutNanos = options.electionTick() * options.tickInterval().toNanos();
    this.leader = leader;
    this.running = running;
    this.resubmit = resubmit;
  }

  /**
   * A config block changed the consenters: a rotation reconfigures the transport at once; an
   * addition or removal becomes the conf change in progress, proposed now when this node leads.
   *
   * @return whether a conf change was proposed: the leader's intake pauses until it is applied
   */
  boolean consentersChanged(long blockNumber, ConsenterChange change, boolean leading, long term) {
    Map<Long, RaftConsenter> consenters = change.consenters();
    if (change.confChange().isEmpty()) {
      membership.consentersChanged(consenters);
      return false;
    }
    inProgress = change.confChange().get();
    if (!consenters.containsKey(raftId)) {
      removalBlock = blockNumber;
      // the leader stops sending to a removed node once it applies the removal, so this node may
      // never learn that the conf change committed: the committed config block decides, and the
      // node helps commit the conf change for two election timeouts at most
      long grace = 2 * electionTimeoutNanos;
      evictionDeadline = System.nanoTime() + grace;
      ChannelLog.of(log, channel, raftId)
          .info(
              "this node is removed from the consenters; it halts once the"
                  + " conf change is applied, or in {} ms",
              TimeUnit.NANOSECONDS.toMillis(grace));
    }
    if (leading) {
      propose(term);
      return true;
    }
    return false;
  }

  /**
   * As a leader with a conf change in flight: proposes it again when an election timeout passed
   * since the last try.
   */
  void retryIfDue(long term) {
    if (inProgress != null && System.nanoTime() - retryAt >= 0) {
      ChannelLog.of(log, channel, raftId)
          .info(
              "conf change {} of node {} not applied yet; proposing it again",
              inProgress.getType(),
              inProgress.getNodeId());
      propose(term);
    }
  }

  /**
   * Proposes the conf change in progress. Raft may drop it (a leadership transfer under way) or
   * turn it into an empty entry (another one still pending); it is proposed again after an election
   * timeout until it is applied, a duplicate being a no-op for raft.
   */
  private void propose(long term) {
    retryAt = System.nanoTime() + electionTimeoutNanos;
    try {
      raft.proposeConfChange(term, inProgress);
    } catch (IllegalStateException e) {
      ChannelLog.of(log, channel, raftId).warn("{}; retrying later", e.getMessage());
    }
  }

  /**
   * A new leader whose raft voters differ from the consenters of the last config block proposes the
   * conf change the previous leader could not finish, as Fabric's {@code etcdraft.(*Chain).run}
   * does on becoming leader through {@code getInFlightConfChange}.
   *
   * @return whether it proposed one: the intake stays paused until it is applied
   */
  boolean proposeMissing(long term) {
    ConfState confState = applier.confState();
    Map<Long, RaftConsenter> consenters = applier.consenters();
    if (confState == null || confState.getVotersCount() == 0 || consenters.isEmpty()) {
      return false;
    }
    Optional<ConfChange> missing =
        ConsenterChange.toReach(
            confState.getVotersList(), applier.blockMetadata().getConsenterIdsList());
    if (missing.isEmpty()) {
      inProgress = null;
      return false;
    }
    inProgress = missing.get();
    ChannelLog.of(log, channel, raftId)
        .info(
            "raft voters {} differ from the consenters {}; proposing {} of {}",
            confState.getVotersList(),
            applier.blockMetadata().getConsenterIdsList(),
            inProgress.getType(),
            inProgress.getNodeId());
    propose(term);
    return true;
  }

  /** A conf change entry the node applied to raft. */
  Applied applied(long index, ConfChange cc) {
    if (cc.getNodeId() == 0) {
      return Applied.OTHER;
    }
    ChannelLog.of(log, channel, raftId)
        .info("applied conf change {} of node {} at index {}", cc.getType(), cc.getNodeId(), index);
    Applied result = Applied.OTHER;
    if (inProgress != null
        && inProgress.getNodeId() == cc.getNodeId()
        && inProgress.getType() == cc.getType()) {
      inProgress = null;
      result = Applied.IN_PROGRESS_DONE;
    }
    if (cc.getType() == ConfChangeType.ConfChangeRemoveNode && cc.getNodeId() == raftId) {
      removed = true;
      return Applied.SELF_REMOVED;
    }
    membership.consentersChanged(applier.consenters());
    return result;
  }

  /** Whether this node's removal was applied. */
  boolean removed() {
    return removed;
  }

  /** Whether the grace after the config block that removed this node is over. */
  boolean evictionOverdue() {
    if (evictionDeadline != 0 && System.nanoTime() - evictionDeadline >= 0) {
      ChannelLog.of(log, channel, raftId)
          .info("the conf change removing this node was not seen applied");
      return true;
    }
    return false;
  }

  /**
   * This node was removed: its owner is told on another thread (it halts the chain's registrations
   * and may make the channel a follower).
   */
  void evict(ConsenterSupport support) {
    ChannelLog.of(log, channel, raftId).warn("removed from the consenter set; halting the chain");
    long removedAt = removalBlock >= 0 ? removalBlock : support.height() - 1;
    Thread.ofVirtual().name("evicted-" + channel).start(() -> support.evicted(removedAt));
  }

  /**
   * Whether ordering this config would remove the leader or rotate its certificate: the leader then
   * hands leadership over first (Fabric's {@code etcdraft.(*Chain).checkForEvictionNCertRotation},
   * called from {@code ordered}).
   */
  boolean removesOrRotatesSelf(Envelope configEnv) {
    Map<Long, RaftConsenter> consenters = applier.consenters();
    RaftConsenter self = consenters.get(raftId);
    if (self == null || consenters.size() < 2) {
      return false;
    }
    Optional<EtcdRaftConfig> raft;
    try {
      raft = ConfigEnvelopes.etcdRaft(configEnv, channel);
    } catch (IllegalArgumentException | ConfigException e) {
      // validated when it was made; a config the leader cannot read fails when it is written
      return false;
    }
    return raft.isPresent()
        && raft.get().consenters().stream()
            .noneMatch(c -> Arrays.equals(c.clientTlsCert(), self.clientTlsCert()));
  }

  /**
   * Transfers leadership, then re-submits the config transaction to the new leader, retrying with
   * an exponential backoff from 5 s / 64 for up to 5 s (Fabric's abdication).
   */
  void abdicateAndResubmit(SubmitRequest request) {
    if (!abdicating.compareAndSet(false, true)) {
      ChannelLog.of(log, channel, raftId)
          .warn(
              "a leadership transfer is already in progress; dropping a"
                  + " config transaction that removes this node");
      return;
    }
    ChannelLog.of(log, channel, raftId)
        .info(
            "config transaction removes or rotates the leader; transferring" + " leadership first");
    Thread.ofVirtual()
        .name("abdicate-" + channel + "-" + raftId)
        .start(
            () -> {
              try {
                for (int attempt = 1;
                    attempt <= ABDICATION_ATTEMPTS && running.getAsBoolean();
                    attempt++) {
                  raft.transferLeadership();
                  long deadline = System.nanoTime() + electionTimeoutNanos;
                  while (running.getAsBoolean()
                      && (leader.getAsLong() == raftId || leader.getAsLong() == 0)
                      && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(WAIT_SLICE_NANOS);
                  }
                  long now = leader.getAsLong();
                  if (now != raftId && now != 0) {
                    resubmit(request);
                    return;
                  }
                  ChannelLog.of(log, channel, raftId)
                      .warn("leadership transfer attempt {} did not complete", attempt);
                }
              } finally {
                abdicating.set(false);
              }
            });
  }

  private void resubmit(SubmitRequest request) {
    long delay = TimeUnit.SECONDS.toNanos(5) / 64;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (running.getAsBoolean()) {
      try {
        resubmit.accept(request);
        ChannelLog.of(log, channel, raftId)
            .info("re-submitted the config transaction to leader {}", leader.getAsLong());
        return;
      } catch (ChainUnavailableException e) {
        if (System.nanoTime() + delay - deadline > 0) {
          ChannelLog.of(log, channel, raftId)
              .warn("could not re-submit the config transaction: {}", e.getMessage());
          return;
        }
        LockSupport.parkNanos(delay);
        delay *= 2;
      }
    }
  }
}
