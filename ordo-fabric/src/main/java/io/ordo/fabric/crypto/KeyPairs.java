package io.ordo.fabric.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Generation of the key pairs Fabric's MSP takes: EC P-256, and Ed25519 since Fabric v3. */
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

  public static KeyPair ed25519(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 key generation is part of every JDK 15+", e);
    }
  }

  public static KeyPair generate(KeyAlgorithm algorithm, SecureRandom random) {
    return switch (algorithm) {
      case ECDSA -> p256(random);
      case ED25519 -> ed25519(random);
    };
  }
}
