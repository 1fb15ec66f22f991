package io.ordo.orderer.blockcutter;

import io.ordo.fabric.channelconfig.BatchSizeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Fabric's block cutter: collects normal envelopes into batches by MaxMessageCount and
 * PreferredMaxBytes of the channel's current BatchSize. An envelope's size is its payload plus
 * signature bytes. AbsoluteMaxBytes is not checked here: the message processor's size filter has
 * refused larger envelopes before they reach the cutter.
 *
 * <p>As Fabric's, it times how long each batch took to fill, from its first envelope to its cut
 * ({@code blockcutter_block_fill_duration}); an envelope too large to share a block fills its own
 * batch in no time.
 *
 * <p>Owned by one chain loop thread; not thread-safe.
 */
public final class BlockCutter {
  private final Supplier<BatchSizeConfig> batchSize;
  private final LongConsumer filledNanos;
  private final List<Envelope> pending = new ArrayList<>();
  private long pendingBytes;
  private long pendingSince;

  /**
   * @param batchSize the BatchSize of the channel's current config, read at each {@link #ordered}
   *     so that a config change applies to the next envelope
   */
  public BlockCutter(Supplier<BatchSizeConfig> batchSize) {
    this(batchSize, nanos -> {});
  }

  /**
   * @param filledNanos told, at each cut of a batch, how long it took to fill
   */
  public BlockCutter(Supplier<BatchSizeConfig> batchSize, LongConsumer filledNanos) {
    this.batchSize = batchSize;
    this.filledNanos = filledNanos;
  }

  /**
   * Adds one envelope.
   *
   * @return the batches cut by this envelope (zero, one or two, in order) and whether envelopes
   *     remain pending
   */
  public Ordered ordered(Envelope envelope) {
    BatchSizeConfig limits = batchSize.get();
    long size = sizeOf(envelope);
    List<List<Envelope>> batches = new ArrayList<>(2);
    if (size > limits.preferredMaxBytes()) {
      // too large to share a block: whatever is pending goes first, then this one alone
      if (!pending.isEmpty()) {
        batches.add(cut());
      }
      batches.add(List.of(envelope));
      filledNanos.accept(0);
      return new Ordered(batches, false);
    }
    if (pendingBytes + size > limits.preferredMaxBytes()) {
      batches.add(cut());
    }
    if (pending.isEmpty()) {
      pendingSince = System.nanoTime();
    }
    pending.add(envelope);
    pendingBytes += size;
    if (pending.size() >= limits.maxMessageCount()) {
      batches.add(cut());
    }
    return new Ordered(batches, !pending.isEmpty());
  }

  /** Returns the pending batch (possibly empty) and starts a new one. */
  public List<Envelope> cut() {
    if (!pending.isEmpty()) {
      filledNanos.accept(System.nanoTime() - pendingSince);
    }
    List<Envelope> batch = List.copyOf(pending);
    pending.clear();
    pendingBytes = 0;
    return batch;
  }

  /** Number of envelopes waiting for the next cut. */
  public int pendingCount() {
    return pending.size();
  }

  /** Fabric's messageSizeBytes: payload plus signature length. */
  public static long sizeOf(Envelope envelope) {
    return (long) envelope.getPayload().size() + envelope.getSignature().size();
  }

  /**
   * The outcome of {@link #ordered}.
   *
   * @param batches batches ready to become blocks, in order
   * @param pending whether envelopes are left waiting (the batch timer should run)
   */
  public record Ordered(List<List<Envelope>> batches, boolean pending) {
    public Ordered {
      batches = List.copyOf(batches);
    }
  }
}
