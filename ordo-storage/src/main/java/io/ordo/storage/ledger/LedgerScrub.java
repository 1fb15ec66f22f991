package io.ordo.storage.ledger;

import io.ordo.storage.io.StorageCorruptionException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a ledger's blocks back from their files and checks every frame (length against the index,
 * CRC32C, block number), so that a damaged block is found when the node starts rather than when a
 * reader reaches it. The newest blocks are checked before the ledger is used ({@link
 * #verifyNewest}), the older ones by a scrub on a thread of its own ({@link #start}), newest first;
 * damage goes to the ledger's {@link CorruptionListener}.
 */
public final class LedgerScrub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LedgerScrub.class);

  /**
   * How much of the newest blocks a node checks before it uses a ledger: 64 MiB, about 0.1 to 0.5 s
   * of cold reads on the test machine, where a whole 4.9 GB ledger took 10 to 27 s (README,
   * "Scrub").
   */
  public static final long NEWEST_BYTES = 64L << 20;

  /**
   * The pace of a background scrub: below the 180 to 510 MiB/s the test machine reads cold, so that
   * the WAL's and the ledger's own writes keep most of the disk.
   */
  public static final long BYTES_PER_SECOND = 128L << 20;

  /**
   * What a scrub checked.
   *
   * @param damage the first damaged block's exception; the scrub stopped there
   */
  public record Outcome(
      long blocks, long bytes, Duration took, Optional<StorageCorruptionException> damage) {}

  private final BlockLedger ledger;
  private final long below;
  private final long bytesPerSecond;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CompletableFuture<Outcome> done = new CompletableFuture<>();
  private final Thread thread;

  private LedgerScrub(BlockLedger ledger, long below, long bytesPerSecond) {
    this.ledger = ledger;
    this.below = below;
    this.bytesPerSecond = bytesPerSecond;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("ledger-scrub-" + ledger.directory().getFileName())
            .unstarted(this::run);
  }

  /**
   * Checks the newest blocks, at least the last one and then older ones while their frames add up
   * to at most {@code maxBytes}, on the calling thread.
   *
   * @return the number of the oldest block checked (the ledger's height when it is empty)
   * @throws StorageCorruptionException at the first damaged block, after telling the listener
   */
  public static long verifyNewest(BlockLedger ledger, long maxBytes) {
    long height = ledger.height();
    ByteBuffer scratch = ByteBuffer.allocate(0);
    long bytes = 0;
    long n = height;
    while (n > ledger.first()) {
      int frame = ledger.frameBytes(n - 1);
      if (n < height && bytes + frame > maxBytes) {
        break;
      }
      n--;
      scratch = fitting(scratch, frame);
      ledger.verifyStored(n, scratch);
      bytes += frame;
    }
    return n;
  }

  /**
   * Starts checking blocks {@code below - 1} down to the ledger's first block on a thread of its
   * own, reading at most {@code bytesPerSecond}; damage is told to the ledger's listener and ends
   * the scrub, and so does the ledger's closing.
   */
  public static LedgerScrub start(BlockLedger ledger, long below, long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond " + bytesPerSecond + " is not positive");
    }
    LedgerScrub scrub = new LedgerScrub(ledger, below, bytesPerSecond);
    scrub.thread.start();
    return scrub;
  }

  /** Completes when the scrub ended: every block checked, damage found, closed or stopped. */
  public CompletableFuture<Outcome> done() {
    return done;
  }

  private void run() {
    long started = System.nanoTime();
    long blocks = 0;
    long bytes = 0;
    Optional<StorageCorruptionException> damage = Optional.empty();
    ByteBuffer scratch = ByteBuffer.allocate(0);
    long firstAtStart = ledger.first();
    try {
      for (long n = below - 1; n >= ledger.first() && stopped.getCount() > 0; n--) {
        int frame = ledger.frameBytes(n);
        scratch = fitting(scratch, frame);
        ledger.verifyStored(n, scratch);
        blocks++;
        bytes += frame;
        pace(started, bytes);
      }
    } catch (StorageCorruptionException e) {
      damage = Optional.of(e);
      log.error("ledger {}: scrub found damage: {}", ledger.directory(), e.getMessage());
    } catch (LedgerClosedException e) {
      log.debug("ledger {}: scrub ended by the ledger's closing", ledger.directory());
    } catch (BlockPrunedException e) {
      // the blocks left to check were pruned meanwhile: nothing left to check
      log.debug("ledger {}: scrub ended at pruned blocks: {}", ledger.directory(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("ledger {}: scrub stopped: {}", ledger.directory(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (damage.isEmpty() && blocks == below - Math.min(below, firstAtStart)) {
      log.info(
          "ledger {}: scrub checked {} blocks ({} MiB) in {} ms: intact",
          ledger.directory(),
          blocks,
          bytes >> 20,
          took.toMillis());
    }
    done.complete(new Outcome(blocks, bytes, took, damage));
  }

  /** Waits as long as reading {@code bytes} since {@code started} is ahead of the rate. */
  private void pace(long started, long bytes) throws InterruptedException {
    if (bytesPerSecond == Long.MAX_VALUE) {
      return;
    }
    long due = started + (long) (bytes * 1e9 / bytesPerSecond);
    long ahead = due - System.nanoTime();
    if (ahead > 0) {
      stopped.await(ahead, TimeUnit.NANOSECONDS);
    }
  }

  private static ByteBuffer fitting(ByteBuffer buf, int bytes) {
    return buf.capacity() >= bytes ? buf : ByteBuffer.allocate(bytes);
  }

  /** Stops the scrub and waits for its thread; the ledger stays open. */
  @Override
  public void close() {
    stopped.countDown();
    if (Thread.currentThread() != thread) {
      done.join();
    }
  }
}
