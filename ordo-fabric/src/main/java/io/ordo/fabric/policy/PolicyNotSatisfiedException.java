package io.ordo.fabric.policy;

/** The signatures given do not satisfy a policy; the message names the policy and the reasons. */
public class PolicyNotSatisfiedException extends RuntimeException {
  public PolicyNotSatisfiedException(String message) {
    super(message);
  }

  public PolicyNotSatisfiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
