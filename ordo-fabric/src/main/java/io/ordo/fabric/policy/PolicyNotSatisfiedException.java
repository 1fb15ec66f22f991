package io.ordo.fabric.policy;

import java.util.List;

/**
 * The signatures given do not satisfy a policy. The message names the policy; {@link #rejections()}
 * says why each signature that did not count was set aside.
 */
public class PolicyNotSatisfiedException extends RuntimeException {
  private final List<Rejection> rejections;

  public PolicyNotSatisfiedException(String message) {
    this(message, List.of());
  }

  public PolicyNotSatisfiedException(String message, List<Rejection> rejections) {
    super(rejections.isEmpty() ? message : message + "; " + rejections);
    this.rejections = List.copyOf(rejections);
  }

  public PolicyNotSatisfiedException(String message, Throwable cause) {
    super(message, cause);
    this.rejections = List.of();
  }

  public List<Rejection> rejections() {
    return rejections;
  }

  /** Whether any signature was set aside for {@code cause} (a reason name such as "HIGH_S"). */
  public boolean hasCause(String cause) {
    return rejections.stream().anyMatch(r -> r.cause().equals(cause));
  }
}
