package io.ordo.orderer.ops;

import java.util.Optional;

/**
 * A component's health: empty when healthy, else why not (shown as failed_checks reason). A
 * component may also warn while healthy (Ordo's {@code warnings} in /healthz, the answer staying
 * 200).
 */
@FunctionalInterface
public interface HealthChecker {
  Optional<String> unhealthyReason();

  /** Something an operator should act on soon that does not make the node unhealthy yet. */
  default Optional<String> warning() {
    return Optional.empty();
  }
}
