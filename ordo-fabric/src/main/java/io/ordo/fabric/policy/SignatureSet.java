package io.ordo.fabric.policy;

import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.InvalidSignatureException;
import io.ordo.fabric.crypto.Signatures;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.msp.Identity;
import io.ordo.fabric.msp.IdentityException;
import io.ordo.fabric.msp.MspManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The signatures one evaluation judges, each judged once: the first signature policy that needs
 * them deserialises the signers and verifies their signatures (ECDSA or Ed25519, by the signer's
 * key), and every other signature policy of the same evaluation reuses the outcome. An
 * implicit-meta policy such as {@code ANY Writers} asks one signature policy per organisation,
 * which would otherwise verify a client of the n-th organisation n times. Not thread-safe: one
 * evaluation runs on one thread.
 */
public final class SignatureSet {
  private final List<SignedData> signatures;
  private MspManager judgedWith;
  private Ecdsa verifiedWith;
  private List<Identity> identities;
  private List<Rejection> rejections;
  private int judgements;

  public SignatureSet(List<SignedData> signatures) {
    this.signatures = List.copyOf(signatures);
  }

  public List<SignedData> signatures() {
    return signatures;
  }

  /** How many times the signatures were judged (once, unless policies used other MSPs). */
  int judgements() {
    return judgements;
  }

  /**
   * The distinct identities that signed correctly, in signature order, as Fabric's cauthdsl takes
   * them (each signer counts once however many times it signed); why each other signature does not
   * count is added to {@code out}.
   */
  List<Identity> validIdentities(MspManager msps, Ecdsa ecdsa, List<Rejection> out) {
    if (identities == null || msps != judgedWith || ecdsa != verifiedWith) {
      judge(msps, ecdsa);
    }
    out.addAll(rejections);
    return identities;
  }

  private void judge(MspManager msps, Ecdsa ecdsa) {
    List<Identity> valid = new ArrayList<>();
    List<Rejection> refused = new ArrayList<>();
    Set<SignerKey> seen = new HashSet<>();
    for (int i = 0; i < signatures.size(); i++) {
      SignedData sd = signatures.get(i);
      Identity id;
      try {
        id = msps.deserialize(sd.identity());
      } catch (IdentityException e) {
        refused.add(new Rejection(i, e.reason().name(), e.getMessage()));
        continue;
      }
      if (signatures.size() > 1
          && !seen.add(new SignerKey(id.mspId(), ByteBuffer.wrap(encoded(id))))) {
        refused.add(new Rejection(i, "DUPLICATE", "de-duplicated identity " + id.describe()));
        continue;
      }
      try {
        Signatures.verify(ecdsa, id.certificate().getPublicKey(), sd.data(), sd.signature());
      } catch (InvalidSignatureException e) {
        refused.add(new Rejection(i, e.reason().name(), id.describe() + ": " + e.getMessage()));
        continue;
      }
      valid.add(id);
    }
    identities = List.copyOf(valid);
    rejections = List.copyOf(refused);
    judgedWith = msps;
    verifiedWith = ecdsa;
    judgements++;
  }

  /** One signer: its MSP and its DER certificate. */
  private record SignerKey(String mspId, ByteBuffer der) {}

  private static byte[] encoded(Identity id) {
    try {
      return id.certificate().getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IdentityException(IdentityException.Reason.MALFORMED, "unencodable certificate", e);
    }
  }
}
