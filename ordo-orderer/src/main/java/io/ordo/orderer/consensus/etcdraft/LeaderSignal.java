package io.ordo.orderer.consensus.etcdraft;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the threads waiting for a chain to know its leader. Waiters re-check the leader after each
 * wake-up or slice, so a release that comes between their check and their wait costs at most one
 * slice.
 */
final class LeaderSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition known = lock.newCondition();

  void release() {
    lock.lock();
    try {
      known.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code nanos} or until released; interrupts end the wait and are kept. */
  void await(long nanos) {
    lock.lock();
    try {
      known.awaitNanos(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
