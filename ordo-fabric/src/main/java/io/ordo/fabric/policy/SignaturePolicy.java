package io.ordo.fabric.policy;

import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.Identity;
import io.ordo.fabric.msp.IdentityException;
import io.ordo.fabric.msp.MspManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * A compiled {@code SignaturePolicyEnvelope}, evaluated as Fabric's cauthdsl does: signatures are
 * first turned into a set of distinct, correctly signing identities; then each {@code signed_by}
 * leaf consumes the first unused identity that satisfies its principal, and {@code n_out_of} counts
 * satisfied rules, keeping the consumption of the satisfied ones only.
 */
public final class SignaturePolicy implements Policy {
  private final String name;
  private final SignaturePolicyEnvelope envelope;
  private final MspManager msps;
  private final Ecdsa ecdsa;

  public SignaturePolicy(
      String name, SignaturePolicyEnvelope envelope, MspManager msps, Ecdsa ecdsa) {
    this.name = name;
    this.envelope = envelope;
    this.msps = msps;
    this.ecdsa = ecdsa;
    if (envelope.getVersion() != 0) {
      throw new IllegalArgumentException(
          "policy "
              + name
              + ": unsupported SignaturePolicyEnvelope version "
              + envelope.getVersion());
    }
    checkIndexes(envelope.getRule(), envelope.getIdentitiesCount());
  }

  private void checkIndexes(org.hyperledger.fabric.protos.common.SignaturePolicy rule, int n) {
    switch (rule.getTypeCase()) {
      case SIGNED_BY -> {
        if (rule.getSignedBy() < 0 || rule.getSignedBy() >= n) {
          throw new IllegalArgumentException(
              "policy "
                  + name
                  + ": signed_by "
                  + rule.getSignedBy()
                  + " out of "
                  + n
                  + " identities");
        }
      }
      case N_OUT_OF -> {
        for (var r : rule.getNOutOf().getRulesList()) {
          checkIndexes(r, n);
        }
      }
      default -> throw new IllegalArgumentException("policy " + name + ": empty rule");
    }
  }

  @Override
  public void evaluate(List<SignedData> signatures) {
    evaluate(new SignatureSet(signatures));
  }

  @Override
  public void evaluate(SignatureSet signatures) {
    List<Rejection> rejections = new ArrayList<>();
    List<Identity> identities = signatures.validIdentities(msps, ecdsa, rejections);
    boolean[] used = new boolean[identities.size()];
    if (!satisfied(envelope.getRule(), identities, used, rejections)) {
      throw new PolicyNotSatisfiedException(
          "signature set did not satisfy policy " + name, rejections);
    }
  }

  private boolean satisfied(
      org.hyperledger.fabric.protos.common.SignaturePolicy rule,
      List<Identity> identities,
      boolean[] used,
      List<Rejection> rejections) {
    return switch (rule.getTypeCase()) {
      case SIGNED_BY -> {
        MSPPrincipal principal = envelope.getIdentities(rule.getSignedBy());
        for (int i = 0; i < identities.size(); i++) {
          if (used[i]) {
            continue;
          }
          Identity id = identities.get(i);
          Optional<FabricMsp> msp = msps.msp(id.mspId());
          if (msp.isEmpty()) {
            rejections.add(
                new Rejection(i, IdentityException.Reason.UNKNOWN_MSP.name(), id.mspId()));
            continue;
          }
          IdentityException refusal = msp.get().refusal(id, principal);
          if (refusal == null) {
            used[i] = true;
            yield true;
          }
          rejections.add(new Rejection(i, refusal.reason().name(), refusal.getMessage()));
        }
        yield false;
      }
      case N_OUT_OF -> {
        int verified = 0;
        boolean[] trial = new boolean[used.length];
        for (var r : rule.getNOutOf().getRulesList()) {
          System.arraycopy(used, 0, trial, 0, used.length);
          if (satisfied(r, identities, trial, rejections)) {
            verified++;
            System.arraycopy(trial, 0, used, 0, used.length);
          }
        }
        yield verified >= rule.getNOutOf().getN();
      }
      case TYPE_NOT_SET -> false;
    };
  }

  @Override
  public String toString() {
    return "SignaturePolicy[" + name + "]";
  }
}
