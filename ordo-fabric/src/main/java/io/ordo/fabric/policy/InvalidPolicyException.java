package io.ordo.fabric.policy;

/** A policy in a config tree that cannot be compiled; the message names its config path. */
public final class InvalidPolicyException extends RuntimeException {
  public InvalidPolicyException(String path, String why) {
    super("invalid policy at " + path + ": " + why);
  }
}
