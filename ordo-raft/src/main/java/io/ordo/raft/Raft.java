package io.ordo.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.raft.confchange.Changer;
import io.ordo.raft.confchange.ConfChanges;
import io.ordo.raft.confchange.Restore;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeV2;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import io.ordo.raft.quorum.VoteResult;
import io.ordo.raft.tracker.Inflights;
import io.ordo.raft.tracker.Progress;
import io.ordo.raft.tracker.ProgressState;
import io.ordo.raft.tracker.ProgressTracker;
import io.ordo.raft.tracker.TallyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The raft state machine of one node (etcd raft v3.5's {@code raft}): terms, roles, elections,
 * replication, configuration changes. It only reacts to {@link #step} and {@link #tick}; what it
 * wants done leaves through {@link #msgs} and the log, which {@link RawNode} packs into a {@link
 * Ready}.
 */
final class Raft {
  static final long NONE = 0;
  static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");

  /**
   * The context of a rejection by a follower that lacks entries the leader says are committed (see
   * {@link Config#recoverLostLog}); etcd leaders read it as an ordinary, stale rejection.
   */
  static final ByteString LOST_LOG = ByteString.copyFromUtf8("ordo:lost-log");

  private enum CampaignType {
    PRE_ELECTION,
    ELECTION,
    TRANSFER
  }

  final long id;
  long term;
  long vote;
  List<ReadState> readStates = new ArrayList<>();
  final RaftLog raftLog;
  private final long maxMsgSize;
  private final long maxUncommittedSize;
  ProgressTracker prs;
  StateType state = StateType.FOLLOWER;
  boolean isLearner;
  List<Message> msgs = new ArrayList<>();
  long lead = NONE;
  long leadTransferee = NONE;
  // Only one conf change may be pending (in the log, but not yet applied) at a time. This is
  // enforced via pendingConfIndex, which is set to a value >= the log index of the latest pending
  // configuration change (if any).
  long pendingConfIndex;
  private long uncommittedSize;
  private ReadOnly readOnly;
  int electionElapsed;
  private int heartbeatElapsed;
  private final boolean checkQuorum;
  private final boolean preVote;
  private final int heartbeatTimeout;
  private final int electionTimeout;
  private int randomizedElectionTimeout;
  private final boolean disableProposalForwarding;
  private final boolean stepDownOnRemoval;
  private final boolean recoverLostLog;
  private final RandomGenerator random;
  final RaftLogger logger;
  private List<Message> pendingReadIndexMessages = new ArrayList<>();

  Raft(Config c) {
    this.id = c.id();
    this.raftLog = new RaftLog(c.storage(), c.maxCommittedSizePerReady());
    this.maxMsgSize = c.maxSizePerMsg();
    this.maxUncommittedSize = c.maxUncommittedEntriesSize();
    this.prs = new ProgressTracker(c.maxInflightMsgs());
    this.electionTimeout = c.electionTick();
    this.heartbeatTimeout = c.heartbeatTick();
    this.logger = c.logger();
    this.checkQuorum = c.checkQuorum();
    this.preVote = c.preVote();
    this.readOnly = new ReadOnly(c.readOnlyOption());
    this.disableProposalForwarding = c.disableProposalForwarding();
    this.stepDownOnRemoval = c.stepDownOnRemoval();
    this.recoverLostLog = c.recoverLostLog();
    this.random = c.random();

    Storage.InitialState is = c.storage().initialState();
    HardState hs = is.hardState();
    ConfState cs = is.confState();
    Changer.Result restored =
        Restore.restore(
            new Changer(prs, raftLog.lastIndex()), cs == null ? Messages.EMPTY_CONF_STATE : cs);
    assertConfStatesEquivalent(cs, switchToConfig(restored));
    if (!Messages.isEmptyHardState(hs)) {
      loadState(hs);
    }
    if (c.applied() > 0) {
      raftLog.appliedTo(c.applied());
    }
    becomeFollower(term, NONE);
    logger.info(
        () ->
            String.format(
                "newRaft %x [peers: %s, term: %d, commit: %d, applied: %d, lastindex: %d, lastterm: %d]",
                id,
                prs.config().voters(),
                term,
                raftLog.committed(),
                raftLog.applied(),
                raftLog.lastIndex(),
                raftLog.lastTerm()));
  }

  private void assertConfStatesEquivalent(ConfState expected, ConfState actual) {
    ConfState exp = expected == null ? Messages.EMPTY_CONF_STATE : expected;
    if (!ConfChanges.equivalent(exp, actual)) {
      throw new IllegalStateException(
          "restored conf state " + actual + " differs from the stored one " + exp);
    }
  }

  boolean hasLeader() {
    return lead != NONE;
  }

  SoftState softState() {
    return new SoftState(lead, state);
  }

  HardState hardState() {
    return Messages.hardState(term, vote, raftLog.committed());
  }

  // ---------------------------------------------------------------------------------------------
  // sending

  /** Queues a message: fills in {@code from} and, except for votes and proposals, the term. */
  private void send(Message.Builder m) {
    if (m.getFrom() == NONE) {
      m.setFrom(id);
    }
    MessageType t = m.getType();
    if (t == MessageType.MsgVote
        || t == MessageType.MsgVoteResp
        || t == MessageType.MsgPreVote
        || t == MessageType.MsgPreVoteResp) {
      // All {pre-,}campaign messages need to have the term set when sending: the candidate's
      // future term for a vote request, the term of the request for a granted vote, our own term
      // for a rejection.
      if (m.getTerm() == 0) {
        throw new IllegalStateException("term should be set when sending " + t);
      }
    } else {
      if (m.getTerm() != 0) {
        throw new IllegalStateException(
            "term should not be set when sending " + t + " (was " + m.getTerm() + ")");
      }
      // Proposals are a way to forward to the leader and should be treated as local messages.
      // MsgReadIndex is also forwarded to the leader.
      if (t != MessageType.MsgProp && t != MessageType.MsgReadIndex) {
        m.setTerm(term);
      }
    }
    msgs.add(m.build());
  }

  private void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /**
   * Sends an append (or a snapshot when the needed entries are compacted) to {@code to}, unless its
   * progress is paused or, with {@code sendIfEmpty} false, there is nothing to send. Returns
   * whether a message was sent.
   */
  private boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = prs.progress().get(to);
    if (pr.isPaused()) {
      return false;
    }
    long prevTerm;
    List<Entry> ents;
    boolean compacted = false;
    try {
      prevTerm = raftLog.term(pr.next() - 1);
    } catch (StorageException.Compacted | StorageException.Unavailable e) {
      prevTerm = -1;
      compacted = true;
    }
    try {
      ents = raftLog.entries(pr.next(), maxMsgSize);
    } catch (StorageException.Compacted | StorageException.Unavailable e) {
      ents = List.of();
      compacted = true;
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    if (compacted) {
      return sendSnapshot(to, pr);
    }
    Message.Builder m =
        Messages.message(MessageType.MsgApp)
            .setTo(to)
            .setIndex(pr.next() - 1)
            .setLogTerm(prevTerm)
            .addAllEntries(ents)
            .setCommit(raftLog.committed());
    int n = ents.size();
    if (n != 0) {
      switch (pr.state()) {
        case REPLICATE -> {
          // optimistically increase the next when in replicate state
          long last = ents.get(n - 1).getIndex();
          pr.optimisticUpdate(last);
          pr.inflights().add(last);
        }
        case PROBE -> pr.probeSent(true);
        default ->
            throw new IllegalStateException(
                String.format("%x is sending append in unhandled state %s", id, pr.state()));
      }
    }
    send(m);
    return true;
  }

  private boolean sendSnapshot(long to, Progress pr) {
    if (!pr.recentActive()) {
      logger.debug(
          () -> String.format("ignore sending snapshot to %x since it is not recently active", to));
      return false;
    }
    Snapshot snapshot;
    try {
      snapshot = raftLog.snapshot();
    } catch (StorageException.SnapshotTemporarilyUnavailable e) {
      logger.debug(
          () ->
              String.format(
                  "%x failed to send snapshot to %x because snapshot is temporarily unavailable",
                  id, to));
      return false;
    }
    if (Messages.isEmptySnapshot(snapshot)) {
      throw new IllegalStateException("need non-empty snapshot");
    }
    long sindex = snapshot.getMetadata().getIndex();
    long sterm = snapshot.getMetadata().getTerm();
    logger.debug(
        () ->
            String.format(
                "%x [firstindex: %d, commit: %d] sent snapshot[index: %d, term: %d] to %x [%s]",
                id, raftLog.firstIndex(), raftLog.committed(), sindex, sterm, to, pr));
    pr.becomeSnapshot(sindex);
    send(Messages.message(MessageType.MsgSnap).setTo(to).setSnapshot(snapshot));
    return true;
  }

  private void sendHeartbeat(long to, ByteString ctx) {
    // Attach min(to.match, committed): a follower must not commit past what it is known to hold.
    long commit = Math.min(prs.progress().get(to).match(), raftLog.committed());
    Message.Builder m = Messages.message(MessageType.MsgHeartbeat).setTo(to).setCommit(commit);
    if (ctx != null) {
      m.setContext(ctx);
    }
    send(m);
  }

  void bcastAppend() {
    prs.visit(
        (peer, pr) -> {
          if (peer != id) {
            sendAppend(peer);
          }
        });
  }

  private void bcastHeartbeat() {
    bcastHeartbeatWithCtx(readOnly.lastPendingRequestCtx());
  }

  private void bcastHeartbeatWithCtx(ByteString ctx) {
    prs.visit(
        (peer, pr) -> {
          if (peer != id) {
            sendHeartbeat(peer, ctx);
          }
        });
  }

  private void sendTimeoutNow(long to) {
    send(Messages.message(MessageType.MsgTimeoutNow).setTo(to));
  }

  // ---------------------------------------------------------------------------------------------
  // Ready/advance support

  void advance(Ready rd) {
    reduceUncommittedSize(rd.committedEntries());
    // If entries were applied (or a snapshot), update our cursor for the next Ready. A new commit
    // index in the HardState does not mean all of its entries were applied: commits are paginated.
    long newApplied = rd.appliedCursor();
    if (newApplied > 0) {
      long oldApplied = raftLog.applied();
      raftLog.appliedTo(newApplied);
      if (prs.config().autoLeave()
          && oldApplied <= pendingConfIndex
          && newApplied >= pendingConfIndex
          && state == StateType.LEADER) {
        // The configuration was entered with auto-leave: propose leaving it. Nil data unmarshals
        // into an empty ConfChangeV2 and can never be refused for its size.
        Entry ent = Messages.entry(0, 0, EntryType.EntryConfChangeV2, null);
        if (!appendEntry(List.of(ent))) {
          throw new IllegalStateException("refused un-refusable auto-leaving ConfChangeV2");
        }
        pendingConfIndex = raftLog.lastIndex();
        logger.info(
            () ->
                String.format(
                    "initiating automatic transition out of joint configuration %s", prs.config()));
      }
    }
    List<Entry> ents = rd.entries();
    if (!ents.isEmpty()) {
      Entry e = ents.get(ents.size() - 1);
      raftLog.stableTo(e.getIndex(), e.getTerm());
    }
    if (!Messages.isEmptySnapshot(rd.snapshot())) {
      raftLog.stableSnapTo(rd.snapshot().getMetadata().getIndex());
    }
  }

  private boolean maybeCommit() {
    return raftLog.maybeCommit(prs.committed(), term);
  }

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = NONE;
    }
    lead = NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    resetRandomizedElectionTimeout();
    abortLeaderTransfer();
    prs.resetVotes();
    long last = raftLog.lastIndex();
    prs.progress()
        .replaceAll(
            (peer, pr) -> {
              Progress fresh =
                  new Progress(
                      0, last + 1, new Inflights(prs.maxInflight()), pr.isLearner(), false);
              if (peer == id) {
                fresh.match(last);
              }
              return fresh;
            });
    pendingConfIndex = 0;
    uncommittedSize = 0;
    readOnly = new ReadOnly(readOnly.option());
  }

  /** Appends proposals at the current term; false when the uncommitted-size limit refuses them. */
  private boolean appendEntry(List<Entry> es) {
    long li = raftLog.lastIndex();
    List<Entry> stamped = new ArrayList<>(es.size());
    for (int i = 0; i < es.size(); i++) {
      stamped.add(es.get(i).toBuilder().setTerm(term).setIndex(li + 1 + i).build());
    }
    // Track the size of this uncommitted proposal.
    if (!increaseUncommittedSize(stamped)) {
      logger.debug(
          () ->
              String.format(
                  "%x appending new entries to log would exceed uncommitted entry size limit; dropping proposal",
                  id));
      return false;
    }
    // use latest "last" index after truncate/append
    li = raftLog.append(stamped);
    prs.progress().get(id).maybeUpdate(li);
    // Regardless of maybeCommit's return, our caller will call bcastAppend.
    maybeCommit();
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // ticks and role changes

  void tick() {
    if (state == StateType.LEADER) {
      tickHeartbeat();
    } else {
      tickElection();
    }
  }

  private void tickElection() {
    electionElapsed++;
    if (promotable() && pastElectionTimeout()) {
      electionElapsed = 0;
      step(Messages.message(MessageType.MsgHup).setFrom(id).build());
    }
  }

  private void tickHeartbeat() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= electionTimeout) {
      electionElapsed = 0;
      if (checkQuorum) {
        step(Messages.message(MessageType.MsgCheckQuorum).setFrom(id).build());
      }
      // If the current leader cannot transfer leadership in electionTimeout, it becomes leader
      // again.
      if (state == StateType.LEADER && leadTransferee != NONE) {
        abortLeaderTransfer();
      }
    }
    if (state != StateType.LEADER) {
      return;
    }
    if (heartbeatElapsed >= heartbeatTimeout) {
      heartbeatElapsed = 0;
      step(Messages.message(MessageType.MsgBeat).setFrom(id).build());
    }
  }

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    state = StateType.FOLLOWER;
    logger.info(() -> String.format("%x became follower at term %d", id, term));
  }

  void becomeCandidate() {
    if (state == StateType.LEADER) {
      throw new IllegalStateException("invalid transition [leader -> candidate]");
    }
    reset(term + 1);
    vote = id;
    state = StateType.CANDIDATE;
    logger.info(() -> String.format("%x became candidate at term %d", id, term));
  }

  void becomePreCandidate() {
    if (state == StateType.LEADER) {
      throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
    }
    // Becoming a pre-candidate changes our step function and state, but doesn't change anything
    // else. In particular it does not increase term or change vote.
    prs.resetVotes();
    lead = NONE;
    state = StateType.PRE_CANDIDATE;
    logger.info(() -> String.format("%x became pre-candidate at term %d", id, term));
  }

  void becomeLeader() {
    if (state == StateType.FOLLOWER) {
      throw new IllegalStateException("invalid transition [follower -> leader]");
    }
    reset(term);
    lead = id;
    state = StateType.LEADER;
    // Followers enter replicate mode when they've been successfully probed (perhaps after having
    // received a snapshot as a result). The leader is trivially in this state.
    prs.progress().get(id).becomeReplicate();
    // Conservatively set the pendingConfIndex to the last index in the log. There may or may not
    // be a pending config change, but it's safe to delay any future proposals until we commit all
    // our pending log entries.
    pendingConfIndex = raftLog.lastIndex();
    Entry empty = Messages.entry(0, 0);
    if (!appendEntry(List.of(empty))) {
      throw new IllegalStateException("empty entry was dropped");
    }
    // The initial empty entry does not count towards the uncommitted log quota (its size is 0).
    logger.info(() -> String.format("%x became leader at term %d", id, term));
  }

  private void hup(CampaignType t) {
    if (state == StateType.LEADER) {
      logger.debug(() -> String.format("%x ignoring MsgHup because already leader", id));
      return;
    }
    if (!promotable()) {
      logger.warn(() -> String.format("%x is unpromotable and can not campaign", id));
      return;
    }
    if (raftLog.committed() > raftLog.applied()) {
      List<Entry> ents =
          raftLog.slice(raftLog.applied() + 1, raftLog.committed() + 1, Entries.NO_LIMIT);
      int n = numOfPendingConf(ents);
      if (n != 0) {
        logger.warn(
            () ->
                String.format(
                    "%x cannot campaign at term %d since there are still %d pending configuration changes to apply",
                    id, term, n));
        return;
      }
    }
    logger.info(() -> String.format("%x is starting a new election at term %d", id, term));
    campaign(t);
  }

  private void campaign(CampaignType t) {
    if (!promotable()) {
      // This path should not be hit (callers are supposed to check), but better safe than sorry.
      logger.warn(
          () -> String.format("%x is unpromotable; campaign() should have been called", id));
    }
    long voteTerm;
    MessageType voteMsg;
    if (t == CampaignType.PRE_ELECTION) {
      becomePreCandidate();
      voteMsg = MessageType.MsgPreVote;
      // PreVote RPCs are sent for the next term before we've incremented r.Term.
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      voteMsg = MessageType.MsgVote;
      voteTerm = term;
    }
    if (poll(id, voteRespMsgType(voteMsg), true).result() == VoteResult.WON) {
      // We won the election after voting for ourselves (which must mean that this is a single-node
      // cluster). Advance to the next state.
      if (t == CampaignType.PRE_ELECTION) {
        campaign(CampaignType.ELECTION);
      } else {
        becomeLeader();
      }
      return;
    }
    long lastIndex = raftLog.lastIndex();
    long lastTerm = raftLog.lastTerm();
    for (long peer : prs.config().voters().ids()) {
      if (peer == id) {
        continue;
      }
      logger.info(
          () ->
              String.format(
                  "%x [logterm: %d, index: %d] sent %s request to %x at term %d",
                  id, lastTerm, lastIndex, voteMsg, peer, term));
      Message.Builder m =
          Messages.message(voteMsg)
              .setTerm(voteTerm)
              .setTo(peer)
              .setIndex(lastIndex)
              .setLogTerm(lastTerm);
      if (t == CampaignType.TRANSFER) {
        m.setContext(CAMPAIGN_TRANSFER);
      }
      send(m);
    }
  }

  private TallyResult poll(long from, MessageType t, boolean granted) {
    if (granted) {
      logger.info(() -> String.format("%x received %s from %x at term %d", id, t, from, term));
    } else {
      logger.info(
          () -> String.format("%x received %s rejection from %x at term %d", id, t, from, term));
    }
    prs.recordVote(from, granted);
    return prs.tallyVotes();
  }

  // ---------------------------------------------------------------------------------------------
  // step

  /**
   * Steps a message. A proposal that cannot be appended throws {@link ProposalDroppedException}.
   */
  void step(Message m) {
    // Handle the message term, which may result in our stepping down to a follower.
    if (m.getTerm() == 0) {
      // local message
    } else if (m.getTerm() > term) {
      if (m.getType() == MessageType.MsgVote || m.getType() == MessageType.MsgPreVote) {
        boolean force = m.getContext().equals(CAMPAIGN_TRANSFER);
        boolean inLease = checkQuorum && lead != NONE && electionElapsed < electionTimeout;
        if (!force && inLease) {
          // If a server receives a vote request within the minimum election timeout of hearing
          // from a current leader, it does not update its term or grant its vote.
          logger.info(
              () ->
                  String.format(
                      "%x [logterm: %d, index: %d, vote: %x] ignored %s from %x [logterm: %d, index: %d] at term %d: lease is not expired (remaining ticks: %d)",
                      id,
                      raftLog.lastTerm(),
                      raftLog.lastIndex(),
                      vote,
                      m.getType(),
                      m.getFrom(),
                      m.getLogTerm(),
                      m.getIndex(),
                      term,
                      electionTimeout - electionElapsed));
          return;
        }
      }
      if (m.getType() == MessageType.MsgPreVote) {
        // Never change our term in response to a PreVote
      } else if (m.getType() == MessageType.MsgPreVoteResp && !m.getReject()) {
        // We send pre-vote requests with a term in our future. If the pre-vote is granted, we will
        // increment our term when we get a quorum. If it is not, the term comes from the node that
        // rejected our vote so we should become a follower at the new term.
      } else {
        logger.info(
            () ->
                String.format(
                    "%x [term: %d] received a %s message with higher term from %x [term: %d]",
                    id, term, m.getType(), m.getFrom(), m.getTerm()));
        MessageType t = m.getType();
        if (t == MessageType.MsgApp || t == MessageType.MsgHeartbeat || t == MessageType.MsgSnap) {
          becomeFollower(m.getTerm(), m.getFrom());
        } else {
          becomeFollower(m.getTerm(), NONE);
        }
      }
    } else if (m.getTerm() < term) {
      if ((checkQuorum || preVote)
          && (m.getType() == MessageType.MsgHeartbeat || m.getType() == MessageType.MsgApp)) {
        // We have received messages from a leader at a lower term. It is possible that these
        // messages were simply delayed in the network, but this could also mean that this node
        // has advanced its term number during a network partition and cannot win an election or
        // rejoin the majority. Tell the stale leader about our term so that it steps down.
        send(Messages.message(MessageType.MsgAppResp).setTo(m.getFrom()));
      } else if (m.getType() == MessageType.MsgPreVote) {
        // Before Pre-Vote enable, there may have candidate with higher term, but less log. After
        // update to Pre-Vote, the cluster may deadlock if we drop messages with a lower term.
        logger.info(() -> describeVote("rejected", m));
        send(
            Messages.message(MessageType.MsgPreVoteResp)
                .setTo(m.getFrom())
                .setTerm(term)
                .setReject(true));
      } else {
        // ignore other cases
        logger.info(
            () ->
                String.format(
                    "%x [term: %d] ignored a %s message with lower term from %x [term: %d]",
                    id, term, m.getType(), m.getFrom(), m.getTerm()));
      }
      return;
    }

    switch (m.getType()) {
      case MsgHup -> hup(preVote ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
      case MsgVote, MsgPreVote -> handleVoteRequest(m);
      default -> {
        switch (state) {
          case LEADER -> stepLeader(m);
          case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
          case FOLLOWER -> stepFollower(m);
        }
      }
    }
  }

  private String describeVote(String verdict, Message m) {
    return String.format(
        "%x [logterm: %d, index: %d, vote: %x] %s %s from %x [logterm: %d, index: %d] at term %d",
        id,
        raftLog.lastTerm(),
        raftLog.lastIndex(),
        vote,
        verdict,
        m.getType(),
        m.getFrom(),
        m.getLogTerm(),
        m.getIndex(),
        term);
  }

  private void handleVoteRequest(Message m) {
    // We can vote if this is a repeat of a vote we've already cast, or we haven't voted and we
    // don't think there's a leader yet in this term, or this is a PreVote for a future term.
    boolean canVote =
        vote == m.getFrom()
            || (vote == NONE && lead == NONE)
            || (m.getType() == MessageType.MsgPreVote && m.getTerm() > term);
    if (canVote && raftLog.isUpToDate(m.getIndex(), m.getLogTerm())) {
      // When responding to Msg{Pre,}Vote messages we include the term from the message, not the
      // local term: a pre-vote for a future term must carry that term, and for a real vote our
      // term already equals it.
      logger.info(() -> describeVote("cast", m));
      send(Messages.message(voteRespMsgType(m.getType())).setTo(m.getFrom()).setTerm(m.getTerm()));
      if (m.getType() == MessageType.MsgVote) {
        // Only record real votes.
        electionElapsed = 0;
        vote = m.getFrom();
      }
    } else {
      logger.info(() -> describeVote("rejected", m));
      send(
          Messages.message(voteRespMsgType(m.getType()))
              .setTo(m.getFrom())
              .setTerm(term)
              .setReject(true));
    }
  }

  private void stepLeader(Message m) {
    // These message types do not require any progress for m.From.
    switch (m.getType()) {
      case MsgBeat -> {
        bcastHeartbeat();
        return;
      }
      case MsgCheckQuorum -> {
        // The leader should always see itself as active. As a precaution, handle the case in which
        // the leader isn't in the configuration any more (for example if it just removed itself).
        Progress self = prs.progress().get(id);
        if (self != null) {
          self.recentActive(true);
        }
        if (!prs.quorumActive()) {
          logger.warn(
              () -> String.format("%x stepped down to follower since quorum is not active", id));
          becomeFollower(term, NONE);
        }
        // Mark everyone (but ourselves) as inactive in preparation for the next CheckQuorum.
        prs.visit(
            (peer, pr) -> {
              if (peer != id) {
                pr.recentActive(false);
              }
            });
        return;
      }
      case MsgProp -> {
        stepLeaderProposal(m);
        return;
      }
      case MsgReadIndex -> {
        // only one voting member (the leader) in the cluster
        if (prs.isSingleton()) {
          Message.Builder resp = responseToReadIndexReq(m, raftLog.committed());
          if (resp != null) {
            send(resp);
          }
          return;
        }
        // Postpone read only request when this leader has not committed any log entry at its
        // term.
        if (!committedEntryInCurrentTerm()) {
          pendingReadIndexMessages.add(m);
          return;
        }
        sendMsgReadIndexResponse(m);
        return;
      }
      default -> {}
    }

    // All other message types require a progress for m.From (pr).
    Progress pr = prs.progress().get(m.getFrom());
    if (pr == null) {
      logger.debug(() -> String.format("%x no progress available for %x", id, m.getFrom()));
      return;
    }
    switch (m.getType()) {
      case MsgAppResp -> handleAppendResponse(m, pr);
      case MsgHeartbeatResp -> {
        pr.recentActive(true);
        pr.probeSent(false);
        // free one slot for the full inflights window to allow progress.
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
          pr.inflights().freeFirstOne();
        }
        if (pr.match() < raftLog.lastIndex()) {
          sendAppend(m.getFrom());
        }
        if (readOnly.option() != ReadOnlyOption.SAFE || m.getContext().isEmpty()) {
          return;
        }
        Map<Long, Boolean> acks = readOnly.recvAck(m.getFrom(), m.getContext());
        if (acks == null || prs.config().voters().voteResult(acks) != VoteResult.WON) {
          return;
        }
        for (ReadOnly.Status rs : readOnly.advance(m)) {
          Message.Builder resp = responseToReadIndexReq(rs.req(), rs.index());
          if (resp != null) {
            send(resp);
          }
        }
      }
      case MsgSnapStatus -> {
        if (pr.state() != ProgressState.SNAPSHOT) {
          return;
        }
        if (!m.getReject()) {
          pr.becomeProbe();
          logger.debug(
              () ->
                  String.format(
                      "%x snapshot succeeded, resumed sending replication messages to %x [%s]",
                      id, m.getFrom(), pr));
        } else {
          // NB: the order here matters or we'll be probing erroneously from the snapshot index,
          // but the snapshot never applied.
          pr.pendingSnapshot(0);
          pr.becomeProbe();
          logger.debug(
              () ->
                  String.format(
                      "%x snapshot failed, resumed sending replication messages to %x [%s]",
                      id, m.getFrom(), pr));
        }
        // If snapshot finish, wait for the MsgAppResp from the remote node before sending out the
        // next MsgApp. If snapshot failure, wait for a heartbeat interval before next try.
        pr.probeSent(true);
      }
      case MsgUnreachable -> {
        // During optimistic replication, if the remote becomes unreachable, there is huge
        // probability that a MsgApp is lost.
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        logger.debug(
            () ->
                String.format(
                    "%x failed to send message to %x because it is unreachable [%s]",
                    id, m.getFrom(), pr));
      }
      case MsgTransferLeader -> handleTransferLeader(m, pr);
      default -> {}
    }
  }

  private void stepLeaderProposal(Message m) {
    if (m.getEntriesCount() == 0) {
      throw new IllegalStateException(String.format("%x stepped empty MsgProp", id));
    }
    if (prs.progress().get(id) == null) {
      // If we are not currently a member of the range (i.e. this node was removed from the
      // configuration while serving as leader), drop any new proposals.
      throw new ProposalDroppedException("this leader was removed from the configuration");
    }
    if (leadTransferee != NONE) {
      logger.debug(
          () ->
              String.format(
                  "%x [term %d] transfer leadership to %x is in progress; dropping proposal",
                  id, term, leadTransferee));
      throw new ProposalDroppedException(
          String.format("leadership transfer to %x in progress", leadTransferee));
    }
    List<Entry> ents = new ArrayList<>(m.getEntriesList());
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      ConfChangeV2 cc = decodeConfChange(e);
      if (cc == null) {
        continue;
      }
      boolean alreadyPending = pendingConfIndex > raftLog.applied();
      boolean alreadyJoint = prs.config().voters().isJoint();
      boolean wantsLeaveJoint = cc.getChangesCount() == 0;
      String refused = null;
      if (alreadyPending) {
        refused =
            String.format(
                "possible unapplied conf change at index %d (applied to %d)",
                pendingConfIndex, raftLog.applied());
      } else if (alreadyJoint && !wantsLeaveJoint) {
        refused = "must transition out of joint config first";
      } else if (!alreadyJoint && wantsLeaveJoint) {
        refused = "not in joint state; refusing empty conf change";
      }
      if (refused != null) {
        String why = refused;
        logger.info(
            () ->
                String.format(
                    "%x ignoring conf change %s at config %s: %s", id, cc, prs.config(), why));
        ents.set(i, Messages.entry(0, 0, EntryType.EntryNormal, null));
      } else {
        pendingConfIndex = raftLog.lastIndex() + i + 1;
      }
    }
    if (!appendEntry(ents)) {
      throw new ProposalDroppedException("uncommitted entry size limit reached");
    }
    bcastAppend();
  }

  private static ConfChangeV2 decodeConfChange(Entry e) {
    try {
      if (e.getType() == EntryType.EntryConfChange) {
        return ConfChanges.asV2(ConfChange.parseFrom(e.getData()));
      }
      if (e.getType() == EntryType.EntryConfChangeV2) {
        return ConfChangeV2.parseFrom(e.getData());
      }
      return null;
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalArgumentException(
          "proposed conf change does not decode: " + ex.getMessage(), ex);
    }
  }

  private void handleAppendResponse(Message m, Progress pr) {
    pr.recentActive(true);
    if (m.getReject()
        && recoverLostLog
        && LOST_LOG.equals(m.getContext())
        && m.getRejectHint() < pr.match()) {
      logger.warn(
          () ->
              String.format(
                  "%x: follower %x lost its log beyond index %d (matched %d); probing it again",
                  id, m.getFrom(), m.getRejectHint(), pr.match()));
      pr.lostLog(m.getRejectHint());
      sendAppend(m.getFrom());
      return;
    }
    if (m.getReject()) {
      // RejectHint is the suggested next base entry for appending (i.e. we try to append entry
      // RejectHint+1 next), and LogTerm is the term that the follower has at index RejectHint.
      // Older versions of this library did not populate LogTerm for rejections and it is zero for
      // followers with an empty log.
      logger.debug(
          () ->
              String.format(
                  "%x received MsgAppResp(rejected, hint: (index %d, term %d)) from %x for index %d",
                  id, m.getRejectHint(), m.getLogTerm(), m.getFrom(), m.getIndex()));
      long nextProbeIdx = m.getRejectHint();
      if (m.getLogTerm() > 0) {
        // If the follower has an uncommitted log tail that would result in a conflict at the hint,
        // probe from the largest index in our log whose term is at most the follower's term at
        // the hint: every index above it is known to conflict.
        nextProbeIdx = raftLog.findConflictByTerm(m.getRejectHint(), m.getLogTerm());
      }
      if (pr.maybeDecrTo(m.getIndex(), nextProbeIdx)) {
        logger.debug(
            () -> String.format("%x decreased progress of %x to [%s]", id, m.getFrom(), pr));
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        sendAppend(m.getFrom());
      }
      return;
    }
    boolean oldPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.getIndex())) {
      return;
    }
    if (pr.state() == ProgressState.PROBE) {
      pr.becomeReplicate();
    } else if (pr.state() == ProgressState.SNAPSHOT && pr.match() >= pr.pendingSnapshot()) {
      // The follower caught up past the snapshot: transition back to replicating, through probe
      // to reset the snapshot bookkeeping.
      logger.debug(
          () ->
              String.format(
                  "%x recovered from needing snapshot, resumed sending replication messages to %x [%s]",
                  id, m.getFrom(), pr));
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state() == ProgressState.REPLICATE) {
      pr.inflights().freeLE(m.getIndex());
    }

    if (maybeCommit()) {
      // committed index has progressed for the term, so it is safe to respond to pending read
      // index requests
      releasePendingReadIndexMessages();
      bcastAppend();
    } else if (oldPaused) {
      // If we were paused before, this node may be missing the latest commit index, so send it.
      sendAppend(m.getFrom());
    }
    // Flow control may now allow several (size-limited) in-flight messages at once: send as many
    // as we can, without empty ones for the commit index.
    while (maybeSendAppend(m.getFrom(), false)) {
      // keep sending
    }
    // Transfer leadership is in progress.
    if (m.getFrom() == leadTransferee && pr.match() == raftLog.lastIndex()) {
      logger.info(
          () ->
              String.format(
                  "%x sent MsgTimeoutNow to %x after received MsgAppResp", id, m.getFrom()));
      sendTimeoutNow(m.getFrom());
    }
  }

  private void handleTransferLeader(Message m, Progress pr) {
    if (pr.isLearner()) {
      logger.debug(() -> String.format("%x is learner. Ignored transferring leadership", id));
      return;
    }
    long transferee = m.getFrom();
    long last = leadTransferee;
    if (last != NONE) {
      if (last == transferee) {
        logger.info(
            () ->
                String.format(
                    "%x [term %d] transfer leadership to %x is in progress, ignores request to same node %x",
                    id, term, transferee, transferee));
        return;
      }
      abortLeaderTransfer();
      logger.info(
          () ->
              String.format(
                  "%x [term %d] abort previous transferring leadership to %x", id, term, last));
    }
    if (transferee == id) {
      logger.debug(
          () -> String.format("%x is already leader. Ignored transferring leadership to self", id));
      return;
    }
    // Transfer leadership to third party.
    logger.info(
        () ->
            String.format(
                "%x [term %d] starts to transfer leadership to %x", id, term, transferee));
    // Transfer leadership should be finished in one electionTimeout, so reset electionElapsed.
    electionElapsed = 0;
    leadTransferee = transferee;
    if (pr.match() == raftLog.lastIndex()) {
      sendTimeoutNow(transferee);
      logger.info(
          () ->
              String.format(
                  "%x sends MsgTimeoutNow to %x immediately as %x already has up-to-date log",
                  id, transferee, transferee));
    } else {
      sendAppend(transferee);
    }
  }

  private void stepCandidate(Message m) {
    // Only handle vote responses corresponding to our candidacy (while in PreCandidate, we'll see
    // stale MsgVoteResp from our previous candidacy, which we ignore).
    MessageType myVoteRespType =
        state == StateType.PRE_CANDIDATE ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
    MessageType t = m.getType();
    if (t == MessageType.MsgProp) {
      logger.info(() -> String.format("%x no leader at term %d; dropping proposal", id, term));
      throw new ProposalDroppedException(String.format("no leader at term %d", term));
    } else if (t == MessageType.MsgApp) {
      becomeFollower(m.getTerm(), m.getFrom()); // always m.term == term
      handleAppendEntries(m);
    } else if (t == MessageType.MsgHeartbeat) {
      becomeFollower(m.getTerm(), m.getFrom()); // always m.term == term
      handleHeartbeat(m);
    } else if (t == MessageType.MsgSnap) {
      becomeFollower(m.getTerm(), m.getFrom()); // always m.term == term
      handleSnapshot(m);
    } else if (t == myVoteRespType) {
      TallyResult res = poll(m.getFrom(), t, !m.getReject());
      logger.info(
          () ->
              String.format(
                  "%x has received %d %s votes and %d vote rejections",
                  id, res.granted(), t, res.rejected()));
      if (res.result() == VoteResult.WON) {
        if (state == StateType.PRE_CANDIDATE) {
          campaign(CampaignType.ELECTION);
        } else {
          becomeLeader();
          bcastAppend();
        }
      } else if (res.result() == VoteResult.LOST) {
        // pb.MsgPreVoteResp contains future term of pre-candidate m.Term > r.Term; reuse r.Term
        becomeFollower(term, NONE);
      }
    } else if (t == MessageType.MsgTimeoutNow) {
      logger.debug(
          () ->
              String.format(
                  "%x [term %d state %s] ignored MsgTimeoutNow from %x",
                  id, term, state, m.getFrom()));
    }
  }

  private void stepFollower(Message m) {
    switch (m.getType()) {
      case MsgProp -> {
        if (lead == NONE) {
          logger.info(() -> String.format("%x no leader at term %d; dropping proposal", id, term));
          throw new ProposalDroppedException(String.format("no leader at term %d", term));
        } else if (disableProposalForwarding) {
          logger.info(
              () ->
                  String.format(
                      "%x not forwarding to leader %x at term %d; dropping proposal",
                      id, lead, term));
          throw new ProposalDroppedException(
              String.format("forwarding to leader %x is disabled", lead));
        }
        send(m.toBuilder().setTo(lead));
      }
      case MsgApp -> {
        electionElapsed = 0;
        lead = m.getFrom();
        handleAppendEntries(m);
      }
      case MsgHeartbeat -> {
        electionElapsed = 0;
        lead = m.getFrom();
        handleHeartbeat(m);
      }
      case MsgSnap -> {
        electionElapsed = 0;
        lead = m.getFrom();
        handleSnapshot(m);
      }
      case MsgTransferLeader -> {
        if (lead == NONE) {
          logger.info(
              () ->
                  String.format("%x no leader at term %d; dropping leader transfer msg", id, term));
          return;
        }
        send(m.toBuilder().setTo(lead));
      }
      case MsgTimeoutNow -> {
        logger.info(
            () ->
                String.format(
                    "%x [term %d] received MsgTimeoutNow from %x and starts an election to get leadership.",
                    id, term, m.getFrom()));
        // Leadership transfers never use pre-vote even if preVote is on: we know we are not
        // recovering from a partition so there is no need for the extra round trip.
        hup(CampaignType.TRANSFER);
      }
      case MsgReadIndex -> {
        if (lead == NONE) {
          logger.info(
              () -> String.format("%x no leader at term %d; dropping index reading msg", id, term));
          return;
        }
        send(m.toBuilder().setTo(lead));
      }
      case MsgReadIndexResp -> {
        if (m.getEntriesCount() != 1) {
          logger.error(
              () ->
                  String.format(
                      "%x invalid format of MsgReadIndexResp from %x, entries count: %d",
                      id, m.getFrom(), m.getEntriesCount()));
          return;
        }
        readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData()));
      }
      default -> {}
    }
  }

  private void handleAppendEntries(Message m) {
    if (m.getIndex() < raftLog.committed()) {
      send(
          Messages.message(MessageType.MsgAppResp)
              .setTo(m.getFrom())
              .setIndex(raftLog.committed()));
      return;
    }
    long mlastIndex =
        raftLog.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
    if (mlastIndex >= 0) {
      send(Messages.message(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(mlastIndex));
      return;
    }
    logger.debug(
        () ->
            String.format(
                "%x [logterm: %d, index: %d] rejected MsgApp [logterm: %d, index: %d] from %x",
                id,
                raftLog.termOrZeroIfCompacted(m.getIndex()),
                m.getIndex(),
                m.getLogTerm(),
                m.getIndex(),
                m.getFrom()));
    // Return a hint to the leader about the maximum index and term that the two logs could be
    // divergent at. Do this by searching through the follower's log for the maximum (index, term)
    // pair with a term <= the MsgApp's LogTerm and an index <= the MsgApp's Index. This can help
    // skip all indexes in the follower's uncommitted tail with terms greater than the MsgApp's
    // LogTerm.
    long hintIndex = Math.min(m.getIndex(), raftLog.lastIndex());
    hintIndex = raftLog.findConflictByTerm(hintIndex, m.getLogTerm());
    long hintTerm;
    try {
      hintTerm = raftLog.term(hintIndex);
    } catch (StorageException e) {
      throw new IllegalStateException(
          String.format("term(%d) must be valid, but got %s", hintIndex, e.getMessage()), e);
    }
    send(
        Messages.message(MessageType.MsgAppResp)
            .setTo(m.getFrom())
            .setIndex(m.getIndex())
            .setReject(true)
            .setRejectHint(hintIndex)
            .setLogTerm(hintTerm));
  }

  private void handleHeartbeat(Message m) {
    if (recoverLostLog && m.getCommit() > raftLog.lastIndex()) {
      reportLostLog(m);
    } else {
      raftLog.commitTo(m.getCommit());
    }
    Message.Builder resp = Messages.message(MessageType.MsgHeartbeatResp).setTo(m.getFrom());
    if (m.hasContext()) {
      resp.setContext(m.getContext());
    }
    send(resp);
  }

  /**
   * The leader says entries up to {@code m.commit} are committed and this log ends before them: it
   * was lost. The vote in this term goes to the leader (it may have been given before), and the
   * leader is asked to probe from this log's last index.
   */
  /** See {@link RawNode#forgetLeader}. */
  void forgetLeader() {
    if (state != StateType.FOLLOWER || lead == NONE) {
      return;
    }
    if (readOnly.option() == ReadOnlyOption.LEASE_BASED) {
      logger.error(() -> String.format("%x ignoring forgetLeader due to lease-based reads", id));
      return;
    }
    logger.info(() -> String.format("%x forgetting leader %x at term %d", id, lead, term));
    lead = NONE;
  }

  private void reportLostLog(Message m) {
    long last = raftLog.lastIndex();
    logger.warn(
        () ->
            String.format(
                "%x [term: %d] leader %x says index %d is committed but this log ends at %d: it"
                    + " was lost; asking the leader to send it again",
                id, term, m.getFrom(), m.getCommit(), last));
    if (vote == NONE) {
      vote = m.getFrom();
    }
    long lastTerm;
    try {
      lastTerm = raftLog.term(last);
    } catch (StorageException e) {
      lastTerm = 0;
    }
    send(
        Messages.message(MessageType.MsgAppResp)
            .setTo(m.getFrom())
            .setIndex(m.getCommit())
            .setReject(true)
            .setRejectHint(last)
            .setLogTerm(lastTerm)
            .setContext(LOST_LOG));
  }

  private void handleSnapshot(Message m) {
    long sindex = m.getSnapshot().getMetadata().getIndex();
    long sterm = m.getSnapshot().getMetadata().getTerm();
    if (restore(m.getSnapshot())) {
      logger.info(
          () ->
              String.format(
                  "%x [commit: %d] restored snapshot [index: %d, term: %d]",
                  id, raftLog.committed(), sindex, sterm));
      send(
          Messages.message(MessageType.MsgAppResp)
              .setTo(m.getFrom())
              .setIndex(raftLog.lastIndex()));
    } else {
      logger.info(
          () ->
              String.format(
                  "%x [commit: %d] ignored snapshot [index: %d, term: %d]",
                  id, raftLog.committed(), sindex, sterm));
      send(
          Messages.message(MessageType.MsgAppResp)
              .setTo(m.getFrom())
              .setIndex(raftLog.committed()));
    }
  }

  /**
   * Recovers the state machine from a snapshot: restores the log and the configuration. Returns
   * false when the snapshot is ignored (old, or this node is not in it, or the log already has it).
   */
  boolean restore(Snapshot s) {
    long sindex = s.getMetadata().getIndex();
    long sterm = s.getMetadata().getTerm();
    if (sindex <= raftLog.committed()) {
      return false;
    }
    if (state != StateType.FOLLOWER) {
      // Defense in depth: a leader must never apply a snapshot; move on to a new term instead.
      logger.warn(
          () ->
              String.format("%x attempted to restore snapshot as leader; should never happen", id));
      becomeFollower(term + 1, NONE);
      return false;
    }
    // More defense in depth: throw away snapshot if recipient is not in the config. This shouldn't
    // ever happen (at the time of writing) but lots of code here and there assumes that r.id is in
    // the progress tracker.
    ConfState cs = s.getMetadata().getConfState();
    boolean found =
        cs.getVotersList().contains(id)
            || cs.getLearnersList().contains(id)
            || cs.getVotersOutgoingList().contains(id);
    // NB: LearnersNext doesn't need to be checked. According to the rules, if a peer in
    // LearnersNext, it has to be in VotersOutgoing.
    if (!found) {
      logger.warn(
          () ->
              String.format(
                  "%x attempted to restore snapshot but it is not in the ConfState %s; should never happen",
                  id, cs));
      return false;
    }
    // Now go ahead and actually restore.
    if (raftLog.matchTerm(sindex, sterm)) {
      logger.info(
          () ->
              String.format(
                  "%x [commit: %d, lastindex: %d, lastterm: %d] fast-forwarded commit to snapshot [index: %d, term: %d]",
                  id, raftLog.committed(), raftLog.lastIndex(), raftLog.lastTerm(), sindex, sterm));
      raftLog.commitTo(sindex);
      return false;
    }
    raftLog.restore(s);
    // Reset the configuration and add the (potentially updated) peers in anew.
    prs = new ProgressTracker(prs.maxInflight());
    Changer.Result restored = Restore.restore(new Changer(prs, raftLog.lastIndex()), cs);
    assertConfStatesEquivalent(cs, switchToConfig(restored));
    Progress pr = prs.progress().get(id);
    pr.maybeUpdate(pr.next() - 1);
    logger.info(
        () ->
            String.format(
                "%x [commit: %d, lastindex: %d, lastterm: %d] restored snapshot [index: %d, term: %d]",
                id, raftLog.committed(), raftLog.lastIndex(), raftLog.lastTerm(), sindex, sterm));
    return true;
  }

  /** Whether this node can be elected: a voter in its own configuration, no pending snapshot. */
  boolean promotable() {
    Progress pr = prs.progress().get(id);
    return pr != null && !pr.isLearner() && !raftLog.hasPendingSnapshot();
  }

  ConfState applyConfChange(ConfChangeV2 cc) {
    Changer changer = new Changer(prs, raftLog.lastIndex());
    Changer.Result result;
    if (ConfChanges.leaveJoint(cc)) {
      result = changer.leaveJoint();
    } else {
      Optional<Boolean> autoLeave = ConfChanges.enterJoint(cc);
      if (autoLeave.isPresent()) {
        result = changer.enterJoint(autoLeave.get(), cc.getChangesList());
      } else {
        result = changer.simple(cc.getChangesList());
      }
    }
    return switchToConfig(result);
  }

  /**
   * Installs a new configuration and progress map; a leader then commits what the new quorum allows
   * and probes new members. Returns the new ConfState.
   */
  private ConfState switchToConfig(Changer.Result result) {
    prs.config(result.config());
    prs.progress(result.progress());
    logger.info(() -> String.format("%x switched to configuration %s", id, prs.config()));
    ConfState cs = prs.confState();
    Progress self = prs.progress().get(id);
    // Update whether the node itself is a learner, resetting to false when the node is removed.
    isLearner = self != null && self.isLearner();
    if ((self == null || isLearner) && state == StateType.LEADER) {
      // This node is leader and was removed or demoted. It can no longer count itself towards a
      // quorum nor accept proposals; stepping down lets the remaining members elect a leader
      // without waiting for the application to stop this node. First tell them the commit index
      // (and any entries they lack): until they apply the change themselves they still need this
      // node's vote, which it refuses to a log shorter than its own.
      if (stepDownOnRemoval) {
        maybeCommit();
        bcastAppend();
        becomeFollower(term, NONE);
      }
      return cs;
    }
    // The remaining steps only make sense if this node is the leader and there are other nodes.
    if (state != StateType.LEADER || cs.getVotersCount() == 0) {
      return cs;
    }
    if (maybeCommit()) {
      // If the configuration change means that more entries are committed now, broadcast/append
      // to everyone in the updated config.
      bcastAppend();
    } else {
      // Otherwise, still probe the newly added replicas; there's no need to probe them once per
      // entry.
      prs.visit(
          (peer, pr) -> {
            if (peer != id) {
              maybeSendAppend(peer, false);
            }
          });
    }
    // If the leadTransferee was removed or demoted, abort the leadership transfer.
    if (leadTransferee != NONE && !prs.config().voters().ids().contains(leadTransferee)) {
      abortLeaderTransfer();
    }
    return cs;
  }

  private void loadState(HardState st) {
    if (st.getCommit() < raftLog.committed() || st.getCommit() > raftLog.lastIndex()) {
      throw new IllegalStateException(
          String.format(
              "%x state.commit %d is out of range [%d, %d]",
              id, st.getCommit(), raftLog.committed(), raftLog.lastIndex()));
    }
    raftLog.setCommitted(st.getCommit());
    term = st.getTerm();
    vote = st.getVote();
  }

  /**
   * Whether electionElapsed has reached the randomized timeout in {@code [electionTimeout, 2 *
   * electionTimeout - 1]}.
   */
  private boolean pastElectionTimeout() {
    return electionElapsed >= randomizedElectionTimeout;
  }

  private void resetRandomizedElectionTimeout() {
    randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
  }

  int randomizedElectionTimeout() {
    return randomizedElectionTimeout;
  }

  void abortLeaderTransfer() {
    leadTransferee = NONE;
  }

  private boolean committedEntryInCurrentTerm() {
    return raftLog.termOrZeroIfCompacted(raftLog.committed()) == term;
  }

  /**
   * The answer to a read-index request: a local request becomes a ReadState, a forwarded one a
   * MsgReadIndexResp; null when nothing is to be sent.
   */
  private Message.Builder responseToReadIndexReq(Message req, long readIndex) {
    if (req.getFrom() == NONE || req.getFrom() == id) {
      readStates.add(new ReadState(readIndex, req.getEntries(0).getData()));
      return null;
    }
    return Messages.message(MessageType.MsgReadIndexResp)
        .setTo(req.getFrom())
        .setIndex(readIndex)
        .addAllEntries(req.getEntriesList());
  }

  private void sendMsgReadIndexResponse(Message m) {
    // thinking: use an internally defined context instead of the user given context. We can
    // express this in terms of the term and index instead of a user-supplied value.
    if (readOnly.option() == ReadOnlyOption.SAFE) {
      readOnly.addRequest(raftLog.committed(), m);
      // The local node automatically acks the request.
      readOnly.recvAck(id, m.getEntries(0).getData());
      bcastHeartbeatWithCtx(m.getEntries(0).getData());
    } else {
      Message.Builder resp = responseToReadIndexReq(m, raftLog.committed());
      if (resp != null) {
        send(resp);
      }
    }
  }

  private void releasePendingReadIndexMessages() {
    if (pendingReadIndexMessages.isEmpty()) {
      return;
    }
    if (!committedEntryInCurrentTerm()) {
      logger.error(
          () -> "pending MsgReadIndex should be released only after first commit in current term");
      return;
    }
    List<Message> pending = pendingReadIndexMessages;
    pendingReadIndexMessages = new ArrayList<>();
    for (Message m : pending) {
      sendMsgReadIndexResponse(m);
    }
  }

  /**
   * Increases the uncommitted tail size by the proposal's payload; false (and no change) when the
   * limit refuses it. An empty payload is always allowed, and so is any proposal while nothing is
   * uncommitted, so that one large entry can always make progress.
   */
  private boolean increaseUncommittedSize(List<Entry> ents) {
    long s = Entries.payloadSize(ents);
    if (uncommittedSize > 0 && s > 0 && uncommittedSize + s > maxUncommittedSize) {
      return false;
    }
    uncommittedSize += s;
    return true;
  }

  private void reduceUncommittedSize(List<Entry> ents) {
    if (uncommittedSize == 0) {
      // Fast-path for followers, who do not track or enforce the limit.
      return;
    }
    long s = Entries.payloadSize(ents);
    uncommittedSize = s > uncommittedSize ? 0 : uncommittedSize - s;
  }

  static int numOfPendingConf(List<Entry> ents) {
    int n = 0;
    for (Entry e : ents) {
      if (e.getType() == EntryType.EntryConfChange || e.getType() == EntryType.EntryConfChangeV2) {
        n++;
      }
    }
    return n;
  }

  static MessageType voteRespMsgType(MessageType t) {
    return switch (t) {
      case MsgVote -> MessageType.MsgVoteResp;
      case MsgPreVote -> MessageType.MsgPreVoteResp;
      default -> throw new IllegalArgumentException("not a vote message: " + t);
    };
  }
}
