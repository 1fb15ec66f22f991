package io.ordo.orderer.replication;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread of a component that pulls blocks from other orderers until it is stopped (a follower
 * channel, an eviction check), and how it stops: {@link #close} signals it, closes the puller so
 * that a pull in progress ends at once, and waits for the thread unless called from it.
 */
public final class PullerThread implements AutoCloseable {
  private final BlockPuller puller;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Thread thread;

  public PullerThread(BlockPuller puller) {
    this.puller = puller;
  }

  public BlockPuller puller() {
    return puller;
  }

  /** Starts {@code body} on {@code thread}, an unstarted thread built by the caller. */
  public void start(Thread.Builder builder, Runnable body) {
    thread = builder.start(body);
  }

  public boolean stopped() {
    return stopped.getCount() == 0;
  }

  /**
   * Waits up to {@code nanos} unless stopped first.
   *
   * @return true when stopped
   */
  public boolean awaitStop(long nanos) throws InterruptedException {
    return stopped.await(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    stopped.countDown();
    puller.close();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
