package io.ordo.orderer.deliver;

import io.grpc.Metadata;

/**
 * What Deliver tells a client that asks for a block below the ledger's first one (the node prunes
 * its ledger, or onboarded from a later config block): {@code NOT_FOUND}, as Fabric answers a block
 * its ledger cannot serve, and, since a Deliver status carries no text, the reason in the node's
 * log and in two trailers of the call, which Fabric's clients ignore: {@code ordo-first-block} (the
 * first block held) and {@code ordo-info} (the sentence). A Fabric peer takes a {@code NOT_FOUND}
 * as a failed delivery and retries against an orderer endpoint it picks at random.
 */
public final class PrunedBlocks {
  public static final Metadata.Key<String> FIRST_BLOCK =
      Metadata.Key.of("ordo-first-block", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> INFO =
      Metadata.Key.of("ordo-info", Metadata.ASCII_STRING_MARSHALLER);

  private PrunedBlocks() {}

  static String reason(long asked, long first) {
    return "cannot serve block ["
        + asked
        + "]: this orderer holds the channel's blocks from ["
        + first
        + "] on (it prunes its ledger, FileLedger.Prune, or onboarded from a later config block);"
        + " ask another orderer for older blocks";
  }

  /** Adds the trailers to those the call will end with. */
  static void tell(Metadata trailers, long first, String reason) {
    synchronized (trailers) {
      trailers.put(FIRST_BLOCK, Long.toString(first));
      trailers.put(INFO, reason);
    }
  }
}
