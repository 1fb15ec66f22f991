package io.ordo.fabric.policy;

/** A policy path that names no policy of the config tree. */
public final class UnknownPolicyException extends RuntimeException {
  public UnknownPolicyException(String path) {
    super("no policy at " + path);
  }
}
