package io.ordo.cli;

/** The process exit codes of every {@code ordo} command. */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;

  /** An input could not be used: a missing or unreadable file, bad YAML, an unknown profile. */
  public static final int ERROR = 1;

  /** The command line itself was wrong: an unknown flag, a missing required option. */
  public static final int USAGE = 2;

  /** {@code blocks verify} ran and found at least one block that fails a check. */
  public static final int VERIFICATION_FAILED = 3;

  /** {@code bench} ran but not every transaction was committed (refusals or the timeout). */
  public static final int INCOMPLETE = 4;

  /**
   * {@code bench --acked-report}: a transaction acknowledged with SUCCESS is missing from the final
   * chain, one is in it twice, or the orderers' chains differ.
   */
  public static final int AUDIT_FAILED = 5;

  /** A bug: an error no input should cause (the message asks for --verbose). */
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}
