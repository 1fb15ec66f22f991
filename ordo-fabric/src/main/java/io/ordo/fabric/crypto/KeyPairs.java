package io.ordo.fabric.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Generation of EC P-256 key pairs, the only key type Fabric's default MSP issues. */
public final class KeyPairs {
  private KeyPairs() {}

  public static KeyPair p256(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is required of every JDK", e);
    }
  }
}
