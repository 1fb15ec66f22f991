package io.ordo.raft.sim;

/** A raft safety or liveness property did not hold in a simulated run. */
public final class InvariantViolation extends AssertionError {
  private static final long serialVersionUID = 1L;

  InvariantViolation(String message) {
    super(message);
  }
}
