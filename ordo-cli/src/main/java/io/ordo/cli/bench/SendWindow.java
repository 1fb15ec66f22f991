package io.ordo.cli.bench;

/**
 * The unanswered-envelope window of one Broadcast stream, handed to the sender in batches: an
 * answer only wakes the sender once enough room has come back for a batch, so that a stream costs
 * one wake-up (and one write to its connection) per batch instead of per envelope.
 */
final class SendWindow {
  private final int batch;
  private int available;
  private int wanted;
  private boolean closed;

  /**
   * @param size envelopes that may be unanswered at once
   * @param batch room the sender waits for before sending again (at most {@code size})
   */
  SendWindow(int size, int batch) {
    if (size < 1 || batch < 1 || batch > size) {
      throw new IllegalArgumentException("window " + size + ", batch " + batch);
    }
    this.available = size;
    this.batch = batch;
  }

  /** One envelope answered. */
  synchronized void release() {
    available++;
    if (available >= wanted) {
      notifyAll();
    }
  }

  /** The stream ended: the sender stops waiting. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized boolean closed() {
    return closed;
  }

  /**
   * Waits until there is room for a batch, or for {@code needed} envelopes when fewer are left to
   * send, or the window closed, or {@code timeoutMillis} passed; takes and returns the room there
   * is (possibly 0).
   */
  synchronized int take(int needed, long timeoutMillis) throws InterruptedException {
    wanted = Math.max(1, Math.min(batch, needed));
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (available < wanted && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    int room = available;
    available = 0;
    return room;
  }
}
