package io.ordo.fabric.block;

/** A block that failed one of the checks of {@link BlockVerifier}; {@link #check()} says which. */
public final class BlockVerificationException extends RuntimeException {
  /** The checks a received block must pass, in the order they are made. */
  public enum Check {
    HEADER_PRESENT,
    DATA_HASH,
    PREVIOUS_HASH,
    SIGNATURES_PRESENT,
    SIGNATURE_POLICY
  }

  private final Check check;
  private final long blockNumber;

  public BlockVerificationException(
      Check check, long blockNumber, String message, Throwable cause) {
    super("block " + blockNumber + " failed check " + check + ": " + message, cause);
    this.check = check;
    this.blockNumber = blockNumber;
  }

  public Check check() {
    return check;
  }

  public long blockNumber() {
    return blockNumber;
  }
}
