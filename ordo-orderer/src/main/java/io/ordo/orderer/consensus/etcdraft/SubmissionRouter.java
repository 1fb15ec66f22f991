package io.ordo.orderer.consensus.etcdraft;

import io.ordo.orderer.consensus.ChainUnavailableException;
import io.ordo.orderer.ops.ChannelLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a submission goes: into this node's {@link Intake} while it leads, to the leader over the
 * cluster otherwise, held through an election for up to {@link Options#leaderWait}. It owns the
 * leader view that submitters read, which the chain's loop updates on each leader change ({@link
 * #leaderSeen}). Its calls come from submitters', gRPC and resubmitting threads, never from the
 * loop: forwarding and waiting for a leader block.
 */
final class SubmissionRouter {
  private static final Logger log = LoggerFactory.getLogger(SubmissionRouter.class);
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The epoch argument of a submission that is not a client's pending envelope. */
  private static final int NO_EPOCH = -1;

  /** Where a submission comes from, which decides whether it may be forwarded on. */
  private enum Origin {
    /** A client of this node: pending here until its block; forwarded to the leader. */
    CLIENT,
    /** Forwarded by another consenter, whose client waits for it: never forwarded on. */
    PEER,
    /** This node re-submits a config it took as leader (abdication): forwarded to the leader. */
    RELAY
  }

  /**
   * The leader this node knows (0 for none) and its epoch, which counts the leaders this node has
   * seen: an envelope handed to the leader of one epoch is submitted again once every entry of the
   * terms before a later leader's is applied and it is still not in a block. Read as one.
   */
  record LeaderView(long id, int epoch) {}

  /** What the router needs of the chain it routes for. */
  record Chain(
      String channel,
      long raftId,
      long leaderWaitNanos,
      PendingEnvelopes pending,
      Intake intake,
      Submitter submitter,
      EtcdRaftMetrics metrics,
      Runnable checkRunning,
      BooleanSupplier running) {}

  private final Chain chain;
  private final String channel;
  private final long raftId;
  private final PendingEnvelopes pending;

  /** Released whenever a leader becomes known, for submitters waiting out an election. */
  private final LeaderSignal leaderKnown = new LeaderSignal();

  private volatile LeaderView view = new LeaderView(0, 0);

  SubmissionRouter(Chain chain) {
    this.chain = chain;
    this.channel = chain.channel();
    this.raftId = chain.raftId();
    this.pending = chain.pending();
  }

  /** The leader this node knows, 0 for none. */
  long leader() {
    return view.id();
  }

  /** The number of leaders this node has seen. */
  int epoch() {
    return view.epoch();
  }

  /** The loop saw the leader change to {@code known} (0: none, or an election runs). */
  void leaderSeen(long known) {
    LeaderView before = view;
    if (known != before.id()) {
      view = new LeaderView(known, known == 0 ? before.epoch() : before.epoch() + 1);
    }
    if (known != 0) {
      leaderKnown.release();
    }
  }

  /** The chain stopped: no leader from now on, and no submitter waits for one. */
  void stopped() {
    view = new LeaderView(0, view.epoch());
    leaderKnown.release();
  }

  /** A client's envelope, pending until its block. */
  CompletableFuture<Void> order(SubmitRequest request) {
    chain.metrics().normalProposalReceived();
    return submitPending(new Submission(request, false));
  }

  /** A client's config envelope, pending until its block. */
  CompletableFuture<Void> configure(SubmitRequest request) {
    chain.metrics().configProposalReceived();
    return submitPending(new Submission(request, true));
  }

  /**
   * Queues a client's envelope when this node leads, its intake is open and the submit queue has
   * room; null for anything else (a forward to the leader, a paused intake, a full queue), which is
   * left to {@link #order}.
   */
  CompletableFuture<Void> tryOrder(SubmitRequest request) {
    chain.checkRunning().run();
    LeaderView now = view;
    if (now.id() != raftId || !chain.intake().isOpen()) {
      return null;
    }
    Submission submission = new Submission(request, false);
    CompletableFuture<Void> written = pending.add(submission, now.epoch());
    if (!chain.intake().offer(submission)) {
      pending.remove(submission);
      return null;
    }
    chain.metrics().normalProposalReceived();
    return written;
  }

  /** A submission another consenter forwarded: queued if this node leads, refused otherwise. */
  void fromPeer(Submission submission) {
    submit(submission, Origin.PEER, NO_EPOCH);
  }

  /** This node gives up leading to order a config: the config goes to the next leader. */
  void relay(SubmitRequest request) {
    submit(new Submission(request, true), Origin.RELAY, NO_EPOCH);
  }

  /**
   * Submits again, off the caller's thread (forwarding may wait), what clients gave this node
   * before the leader of {@code epoch} and is still not in a block.
   */
  void resubmit(List<Submission> lost, int epoch) {
    Thread.ofVirtual()
        .name("chain-" + channel + "-resubmit")
        .start(
            () -> {
              for (Submission s : lost) {
                try {
                  submit(s, Origin.CLIENT, epoch);
                } catch (ChainUnavailableException e) {
                  // still pending: the next leader's term submits it again, or it expires
                  ChannelLog.of(log, channel, raftId)
                      .debug("could not submit again: {}", e.getMessage());
                }
              }
            });
  }

  /**
   * Submits a client's envelope and waits for its block from now on. When forwarding it to the
   * leader fails, the leader may have taken it or not: it stays pending, and a later leader's term
   * tells (it is submitted again if it is not in a block by then), rather than the client being
   * refused while a new leader is elected.
   */
  private CompletableFuture<Void> submitPending(Submission submission) {
    int epoch = view.epoch();
    CompletableFuture<Void> written = pending.add(submission, epoch);
    try {
      submit(submission, Origin.CLIENT, epoch);
    } catch (ForwardFailedException e) {
      ChannelLog.of(log, channel, raftId)
          .debug("holding an envelope the leader did not take: {}", e.getMessage());
    } catch (ChainUnavailableException e) {
      pending.remove(submission);
      throw e;
    }
    return written;
  }

  /** Forwarding to the leader failed: the leader may or may not have the envelope. */
  private static final class ForwardFailedException extends ChainUnavailableException {
    ForwardFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param epoch for a client's envelope, the epoch it is pending in, which this call owns (see
   *     {@link PendingEnvelopes#claim}); {@link #NO_EPOCH} for the others
   */
  private void submit(Submission submission, Origin origin, int epoch) {
    try {
      queueOrForward(submission, origin, epoch);
    } catch (ChainUnavailableException e) {
      chain.metrics().proposalFailed();
      throw e;
    }
  }

  /**
   * Queues the submission if this node leads, else forwards it to the leader; without a leader it
   * waits for one (up to {@link Options#leaderWait}). A client's pending envelope is marked with
   * the epoch of the leader it goes to.
   */
  private void queueOrForward(Submission submission, Origin origin, int epoch) {
    chain.checkRunning().run();
    // a peer's request holds a gRPC thread: its sender waits out the election instead
    LeaderView lead = origin == Origin.PEER ? view : awaitLeader();
    if (lead.id() == 0) {
      chain.checkRunning().run();
      long waitNanos = chain.leaderWaitNanos();
      throw new ChainUnavailableException(
          origin == Origin.PEER || waitNanos == 0
              ? "no Raft leader"
              : "no Raft leader for " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s");
    }
    if (origin == Origin.CLIENT && !pending.claim(submission, epoch, lead.epoch())) {
      // written meanwhile, or found lost at the new leader's term and sent again by that path
      return;
    }
    if (lead.id() != raftId) {
      if (origin == Origin.PEER) {
        throw new ChainUnavailableException(
            "node "
                + raftId
                + " does not lead channel "
                + channel
                + "; node "
                + lead.id()
                + " does");
      }
      forward(lead.id(), submission.request());
      return;
    }
    try {
      chain.intake().put(submission, chain.checkRunning());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException("interrupted waiting for the chain", e);
    }
  }

  /**
   * Waits up to {@link Options#leaderWait} for a leader to be known: an envelope given during an
   * election is held, not refused, so that a client's stream survives a leader change.
   *
   * @return the leader and its epoch; a leader 0 when none showed up in time
   */
  private LeaderView awaitLeader() {
    long deadline = System.nanoTime() + chain.leaderWaitNanos();
    LeaderView now;
    while ((now = view).id() == 0 && chain.running().getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return now;
      }
      leaderKnown.await(Math.min(left, WAIT_SLICE_NANOS));
    }
    return now;
  }

  private void forward(long lead, SubmitRequest request) {
    try {
      chain.submitter().submit(lead, request);
    } catch (RuntimeException e) {
      throw new ForwardFailedException(e.getMessage(), e);
    }
  }
}
