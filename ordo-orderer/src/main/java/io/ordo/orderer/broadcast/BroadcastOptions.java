package io.ordo.orderer.broadcast;

/**
 * Limits of the Broadcast pipeline.
 *
 * @param validationThreads platform threads checking signatures, shared by all streams
 * @param validationQueue envelopes waiting for a validation thread; beyond it an envelope is
 *     answered SERVICE_UNAVAILABLE instead of queueing without bound
 * @param maxInFlightPerStream envelopes of one stream read but not yet answered; gRPC flow control
 *     stops reading the stream beyond it
 */
public record BroadcastOptions(
    int validationThreads, int validationQueue, int maxInFlightPerStream) {
  public BroadcastOptions {
    if (validationThreads < 1 || validationQueue < 1 || maxInFlightPerStream < 1) {
      throw new IllegalArgumentException(
          "broadcast limits must be positive: threads="
              + validationThreads
              + " queue="
              + validationQueue
              + " inFlight="
              + maxInFlightPerStream);
    }
  }

  /**
   * A stream's envelopes are answered once they are in a block, so a client that keeps a deep
   * window (Fabric's load tools keep hundreds unanswered) needs that many in flight here too.
   */
  public static BroadcastOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new BroadcastOptions(cores, 4096, 1024);
  }
}
