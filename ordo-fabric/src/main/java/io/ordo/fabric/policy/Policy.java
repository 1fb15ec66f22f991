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
}
