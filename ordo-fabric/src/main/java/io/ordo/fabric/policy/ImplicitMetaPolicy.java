package io.ordo.fabric.policy;

import io.ordo.fabric.crypto.SignedData;
import java.util.List;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule;

/**
 * ANY, ALL or MAJORITY of the policy named {@code subPolicy} in each direct child group. With no
 * child groups the threshold is 0 and the policy is always satisfied, as in Fabric.
 */
public final class ImplicitMetaPolicy implements Policy {
  private final String name;
  private final String subPolicy;
  private final Rule rule;
  private final List<Policy> subPolicies;
  private final int threshold;

  /**
   * @param subPolicies one per child group; a missing sub-policy is a policy that rejects
   */
  public ImplicitMetaPolicy(String name, String subPolicy, Rule rule, List<Policy> subPolicies) {
    this.name = name;
    this.subPolicy = subPolicy;
    this.rule = rule;
    this.subPolicies = List.copyOf(subPolicies);
    int n = subPolicies.size();
    this.threshold =
        switch (rule) {
          case ANY -> n == 0 ? 0 : 1;
          case ALL -> n;
          case MAJORITY -> n == 0 ? 0 : n / 2 + 1;
          case UNRECOGNIZED ->
              throw new IllegalArgumentException("policy " + name + ": unknown rule");
        };
  }

  public int threshold() {
    return threshold;
  }

  @Override
  public void evaluate(List<SignedData> signatures) {
    evaluate(new SignatureSet(signatures));
  }

  @Override
  public void evaluate(SignatureSet signatures) {
    int remaining = threshold;
    StringBuilder failures = new StringBuilder();
    for (Policy p : subPolicies) {
      if (remaining == 0) {
        return;
      }
      try {
        p.evaluate(signatures);
        remaining--;
      } catch (PolicyNotSatisfiedException e) {
        failures.append(" [").append(e.getMessage()).append(']');
      }
    }
    if (remaining == 0) {
      return;
    }
    throw new PolicyNotSatisfiedException(
        "implicit policy "
            + name
            + " failed: "
            + (threshold - remaining)
            + " sub-policies were satisfied, but this policy requires "
            + threshold
            + " of the '"
            + subPolicy
            + "' sub-policies to be satisfied ("
            + rule
            + ")"
            + failures);
  }

  @Override
  public String toString() {
    return "ImplicitMetaPolicy[" + name + " = " + rule + " " + subPolicy + "]";
  }
}
