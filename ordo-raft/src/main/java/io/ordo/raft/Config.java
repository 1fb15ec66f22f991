package io.ordo.raft;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The parameters of one raft node (etcd raft's {@code Config}). Build with {@link #builder}; {@link
 * #validate} applies etcd's defaults and checks.
 *
 * @param id this node's raft ID, never 0
 * @param electionTick ticks of leader silence before a follower campaigns (randomised up to twice)
 * @param heartbeatTick ticks between a leader's heartbeats
 * @param storage the persisted log
 * @param applied the last applied index when restarting; 0 when unknown
 * @param maxSizePerMsg the most entry bytes in one append message (at least one entry is sent)
 * @param maxCommittedSizePerReady the most committed entry bytes in one Ready (0 = maxSizePerMsg)
 * @param maxUncommittedEntriesSize the most payload bytes a leader holds uncommitted (0 = none)
 * @param maxInflightMsgs the most append messages in flight to one follower
 * @param checkQuorum a leader steps down without a quorum of recent contact; votes are ignored
 *     within the leader lease
 * @param preVote a pre-election that does not raise terms precedes each campaign
 * @param readOnlyOption how read-index requests are confirmed
 * @param disableProposalForwarding followers drop proposals instead of forwarding them
 * @param stepDownOnRemoval a leader removed from the configuration sends the remaining members its
 *     commit index, then steps down (etcd raft v3.6's option; v3.5 kept leading until the
 *     application stopped it). In a configuration of two voters, removing the leader can still
 *     stall if that last message is lost: the remaining voter needs the removed node's vote until
 *     it learns the commit. Transfer leadership away before removing a leader, as Fabric does.
 * @param recoverLostLog not in etcd: a follower told that entries beyond its log are committed (its
 *     log was lost, or deleted by an operator) does not halt on "tocommit out of range" but tells
 *     the leader, and a leader so told probes the follower again from what it still holds instead
 *     of ignoring the rejection as stale. The follower takes its vote in the leader's term as given
 *     to that leader, since it may have given it before it lost its log. Entries the lost log held
 *     and that only a quorum counting it held are exposed if the leader then fails, as with any
 *     lost disk; off, a node keeps etcd's behaviour
 * @param logger where the node reports what it does
 * @param random the source of randomised election timeouts (seed it for deterministic runs)
 */
public record Config(
    long id,
    int electionTick,
    int heartbeatTick,
    Storage storage,
    long applied,
    long maxSizePerMsg,
    long maxCommittedSizePerReady,
    long maxUncommittedEntriesSize,
    int maxInflightMsgs,
    boolean checkQuorum,
    boolean preVote,
    ReadOnlyOption readOnlyOption,
    boolean disableProposalForwarding,
    boolean stepDownOnRemoval,
    boolean recoverLostLog,
    RaftLogger logger,
    RandomGenerator random) {

  /** A configuration invalid for raft. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
      super(message);
    }
  }

  /** etcd's checks, and its defaults filled in. */
  public Config validate() {
    if (id == 0) {
      throw new InvalidConfigException("cannot use none as id");
    }
    if (heartbeatTick <= 0) {
      throw new InvalidConfigException("heartbeat tick must be greater than 0");
    }
    if (electionTick <= heartbeatTick) {
      throw new InvalidConfigException("election tick must be greater than heartbeat tick");
    }
    if (storage == null) {
      throw new InvalidConfigException("storage cannot be nil");
    }
    if (maxInflightMsgs <= 0) {
      throw new InvalidConfigException("max inflight messages must be greater than 0");
    }
    if (maxSizePerMsg < 0 || maxCommittedSizePerReady < 0 || maxUncommittedEntriesSize < 0) {
      throw new InvalidConfigException("size limits must not be negative");
    }
    if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
      throw new InvalidConfigException(
          "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
    }
    return new Config(
        id,
        electionTick,
        heartbeatTick,
        storage,
        applied,
        maxSizePerMsg,
        maxCommittedSizePerReady == 0 ? maxSizePerMsg : maxCommittedSizePerReady,
        maxUncommittedEntriesSize == 0 ? Entries.NO_LIMIT : maxUncommittedEntriesSize,
        maxInflightMsgs,
        checkQuorum,
        preVote,
        readOnlyOption == null ? ReadOnlyOption.SAFE : readOnlyOption,
        disableProposalForwarding,
        stepDownOnRemoval,
        recoverLostLog,
        logger == null ? RaftLogger.NONE : logger,
        random == null ? new SplittableRandom() : random);
  }

  public static Builder builder(long id, Storage storage) {
    return new Builder(id, storage);
  }

  /**
   * Fabric's settings (orderer/consensus/etcdraft): pre-vote, check-quorum, no proposal forwarding,
   * election 10 and heartbeat 1 ticks, 5 blocks in flight.
   */
  public static Builder fabricDefaults(long id, Storage storage) {
    return new Builder(id, storage)
        .electionTick(10)
        .heartbeatTick(1)
        .maxInflightMsgs(5)
        .maxSizePerMsg(2 * 1024 * 1024)
        .preVote(true)
        .checkQuorum(true)
        .disableProposalForwarding(true);
  }

  /** Builds a {@link Config}; unset values take etcd's defaults at {@link Config#validate}. */
  public static final class Builder {
    private final long id;
    private final Storage storage;
    private int electionTick = 10;
    private int heartbeatTick = 1;
    private long applied;
    private long maxSizePerMsg = 1024 * 1024;
    private long maxCommittedSizePerReady;
    private long maxUncommittedEntriesSize;
    private int maxInflightMsgs = 256;
    private boolean checkQuorum;
    private boolean preVote;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private boolean disableProposalForwarding;
    private boolean stepDownOnRemoval = true;
    private boolean recoverLostLog;
    private RaftLogger logger = RaftLogger.NONE;
    private RandomGenerator random;

    private Builder(long id, Storage storage) {
      this.id = id;
      this.storage = Objects.requireNonNull(storage, "storage");
    }

    public Builder electionTick(int v) {
      this.electionTick = v;
      return this;
    }

    public Builder heartbeatTick(int v) {
      this.heartbeatTick = v;
      return this;
    }

    public Builder applied(long v) {
      this.applied = v;
      return this;
    }

    public Builder maxSizePerMsg(long v) {
      this.maxSizePerMsg = v;
      return this;
    }

    public Builder maxCommittedSizePerReady(long v) {
      this.maxCommittedSizePerReady = v;
      return this;
    }

    public Builder maxUncommittedEntriesSize(long v) {
      this.maxUncommittedEntriesSize = v;
      return this;
    }

    public Builder maxInflightMsgs(int v) {
      this.maxInflightMsgs = v;
      return this;
    }

    public Builder checkQuorum(boolean v) {
      this.checkQuorum = v;
      return this;
    }

    public Builder preVote(boolean v) {
      this.preVote = v;
      return this;
    }

    public Builder readOnlyOption(ReadOnlyOption v) {
      this.readOnlyOption = v;
      return this;
    }

    public Builder disableProposalForwarding(boolean v) {
      this.disableProposalForwarding = v;
      return this;
    }

    public Builder stepDownOnRemoval(boolean v) {
      this.stepDownOnRemoval = v;
      return this;
    }

    public Builder recoverLostLog(boolean v) {
      this.recoverLostLog = v;
      return this;
    }

    public Builder logger(RaftLogger v) {
      this.logger = v;
      return this;
    }

    public Builder random(RandomGenerator v) {
      this.random = v;
      return this;
    }

    public Config build() {
      return new Config(
              id,
              electionTick,
              heartbeatTick,
              storage,
              applied,
              maxSizePerMsg,
              maxCommittedSizePerReady,
              maxUncommittedEntriesSize,
              maxInflightMsgs,
              checkQuorum,
              preVote,
              readOnlyOption,
              disableProposalForwarding,
              stepDownOnRemoval,
              recoverLostLog,
              logger,
              random)
          .validate();
    }
  }
}
