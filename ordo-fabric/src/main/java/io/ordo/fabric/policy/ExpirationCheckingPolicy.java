package io.ordo.fabric.policy;

import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.msp.IdentityException;
import io.ordo.fabric.msp.MspManager;
import java.time.Clock;
import java.util.List;

/**
 * A policy preceded by Broadcast's expiration filter: every signer whose certificate has expired is
 * refused before the policy is evaluated. (Fabric's MSPs themselves ignore expiry.)
 */
public final class ExpirationCheckingPolicy implements Policy {
  private final Policy policy;
  private final MspManager msps;
  private final Clock clock;

  public ExpirationCheckingPolicy(Policy policy, MspManager msps, Clock clock) {
    this.policy = policy;
    this.msps = msps;
    this.clock = clock;
  }

  @Override
  public void evaluate(List<SignedData> signatures) {
    evaluate(new SignatureSet(signatures));
  }

  @Override
  public void evaluate(SignatureSet set) {
    List<SignedData> signatures = set.signatures();
    for (int i = 0; i < signatures.size(); i++) {
      try {
        msps.deserialize(signatures.get(i).identity()).checkNotExpired(clock.instant());
      } catch (IdentityException e) {
        if (e.reason() == IdentityException.Reason.EXPIRED) {
          throw new PolicyNotSatisfiedException(
              "broadcast client identity expired",
              List.of(new Rejection(i, e.reason().name(), e.getMessage())));
        }
        // unparsable or unknown identities have no expiry here; the policy will refuse them
      }
    }
    policy.evaluate(set);
  }
}
