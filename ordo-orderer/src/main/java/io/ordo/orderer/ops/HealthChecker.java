package io.ordo.orderer.ops;

import java.util.Optional;

/** A component's health: empty when healthy, else why not (shown as failed_checks reason). */
@FunctionalInterface
public interface HealthChecker {
  Optional<String> unhealthyReason();
}
