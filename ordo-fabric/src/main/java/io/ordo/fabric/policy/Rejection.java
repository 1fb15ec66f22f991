package io.ordo.fabric.policy;

/**
 * Why one signature of a set did not count towards a policy.
 *
 * @param signature the index of the signature in the set
 * @param cause a reason name: an {@code IdentityException.Reason} (UNKNOWN_MSP, UNKNOWN_CA,
 *     REVOKED, WRONG_ROLE, WRONG_MSP, ...), an {@code InvalidSignatureException.Reason} (HIGH_S,
 *     MISMATCH, MALFORMED, BAD_KEY) or DUPLICATE
 * @param message the detail
 */
public record Rejection(int signature, String cause, String message) {
  @Override
  public String toString() {
    return "signature " + signature + ": " + cause + " (" + message + ")";
  }
}
