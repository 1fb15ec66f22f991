package io.ordo.orderer.consensus.etcdraft;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The leader's intake: a bounded queue that submitters put envelopes into and the chain loop
 * drains, and the switch that pauses it at max_inflight_blocks or while a config block is in
 * flight. Submitters wait while it is paused or full: that is the back-pressure Fabric's WaitReady
 * and unbuffered submit channel give. Methods marked "loop" are called by the chain loop only; the
 * others by any submitting thread.
 */
final class Intake {
  /** Submissions waiting for the loop; beyond it submitters block. */
  static final int CAPACITY = 2048;

  /** Submissions the loop takes per turn, so that applies and the batch timer are never starved. */
  private static final int DRAIN = 512;

  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * How long a busy loop sleeps before coming back for the envelopes queued meanwhile. Waking it
   * for each envelope cost a context switch per envelope on the loop and a futex call on the
   * submitter; under load it takes them a millisecond's worth at a time instead.
   */
  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Envelopes served in one poll interval that make the loop busy (4,000 a second). */
  private static final int BUSY_SUBMISSIONS = 4;

  private final BlockingQueue<Submission> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition opened = lock.newCondition();

  /** The loop's {@link #accepting}, for submitters: they wait while it is false. */
  private volatile boolean open = true;

  /** Set while the loop comes back for submissions by itself within POLL_NANOS. */
  private volatile boolean polling;

  private volatile Thread loop;

  // owned by the loop
  private final ArrayDeque<Submission> backlog = new ArrayDeque<>();
  private boolean accepting = true;
  private long intervalStart = System.nanoTime();
  private int servedInInterval;
  private boolean busy;

  /** The loop thread, woken for submissions. */
  void loopThread(Thread thread) {
    loop = thread;
  }

  // ---------------------------------------------------------------- submitters

  /** Whether the loop takes submissions now. */
  boolean isOpen() {
    return open;
  }

  /** Queues without waiting; false when paused or full, having done nothing. */
  boolean offer(Submission submission) {
    if (!open || !queue.offer(submission)) {
      return false;
    }
    wake();
    return true;
  }

  /**
   * Queues, waiting while the intake is paused or full.
   *
   * @param stillRunning throws when the chain stopped meanwhile; called at least every 50 ms
   */
  void put(Submission submission, Runnable stillRunning) throws InterruptedException {
    if (!open) {
      awaitOpen(stillRunning);
    }
    while (!queue.offer(submission, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
      stillRunning.run();
    }
    wake();
  }

  private void awaitOpen(Runnable stillRunning) throws InterruptedException {
    lock.lock();
    try {
      while (!open) {
        stillRunning.run();
        opened.awaitNanos(WAIT_SLICE_NANOS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes the loop for a queued submission unless it is polling. A loop that stops polling looks at
   * the queue again after clearing the flag, so a submission queued while it was set is not missed.
   */
  private void wake() {
    if (!polling) {
      LockSupport.unpark(loop);
    }
  }

  // ---------------------------------------------------------------- loop

  boolean accepting() {
    return accepting;
  }

  /** Pauses or opens the intake, and wakes submitters waiting for it to open. */
  void accepting(boolean accept) {
    accepting = accept;
    if (accept != open) {
      lock.lock();
      try {
        open = accept;
        if (accept) {
          opened.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Whether the loop has submissions to serve now (it accepts, and some are queued). */
  boolean hasWork() {
    return accepting && (!backlog.isEmpty() || queue.drainTo(backlog, DRAIN) > 0);
  }

  /**
   * The next submission of the turn; null once the turn's share is served or a proposal paused the
   * intake (the rest waits in the backlog).
   */
  Submission next() {
    if (!accepting) {
      return null;
    }
    Submission s = backlog.poll();
    if (s != null) {
      servedInInterval++;
    }
    return s;
  }

  /**
   * How long the idle loop may park, at most {@code limitNanos}: a busy intake is polled every
   * POLL_NANOS instead of waking the loop for each submission. Negative when submissions arrived
   * while the loop stopped polling: it must look again at once.
   */
  long parkNanos(long limitNanos) {
    long now = System.nanoTime();
    if (now - intervalStart >= POLL_NANOS) {
      busy = servedInInterval >= BUSY_SUBMISSIONS;
      intervalStart = now;
      servedInInterval = 0;
    }
    if (busy && accepting) {
      polling = true;
      return Math.min(limitNanos, POLL_NANOS);
    }
    if (polling) {
      polling = false;
      if (!queue.isEmpty()) {
        return -1; // queued while submitters left the loop asleep
      }
    }
    return limitNanos;
  }

  /**
   * Drops everything queued and opens the intake, so that waiting submitters wake and find the
   * chain stopped.
   *
   * @return how many submissions were dropped
   */
  int clear() {
    int dropped = queue.size() + backlog.size();
    queue.clear();
    backlog.clear();
    accepting(true);
    return dropped;
  }
}
