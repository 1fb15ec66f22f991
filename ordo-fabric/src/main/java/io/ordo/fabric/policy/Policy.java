package io.ordo.fabric.policy;

import io.ordo.fabric.crypto.SignedData;
import java.util.List;

/** A Fabric policy: decides whether a set of signatures satisfies it. */
public interface Policy {
  /**
   * Evaluates the signatures.
   *
   * @throws PolicyNotSatisfiedException saying which rule was not met and why each signature did
   *     not count
   */
  void evaluate(List<SignedData> signatures);

  /**
   * As {@link #evaluate(List)}, sharing the judging of the signatures (deserialising signers,
   * verifying signatures) with the other policies evaluated on the same set.
   */
  default void evaluate(SignatureSet signatures) {
    evaluate(signatures.signatures());
  }
}
