package io.ordo.fabric.crypto;

/**
 * The key algorithms of Fabric v3's identities, spelled as cryptogen's {@code PublicKeyAlgorithm}
 * spells them.
 */
public enum KeyAlgorithm {
  /** ECDSA on P-256, signing SHA-256 of the message; Fabric's default. */
  ECDSA("ecdsa"),
  /** Ed25519, signing the message itself; Fabric v3 and later. */
  ED25519("ed25519");

  private final String yamlName;

  KeyAlgorithm(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name in a crypto-config.yaml. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The algorithm a crypto-config.yaml names; empty is ECDSA, as cryptogen defaults it. cryptogen
   * matches the names exactly (lower case), and so does this.
   *
   * @throws IllegalArgumentException naming the value and the two accepted
   */
  public static KeyAlgorithm fromYaml(String value, String where) {
    if (value == null || value.isEmpty()) {
      return ECDSA;
    }
    for (KeyAlgorithm a : values()) {
      if (a.yamlName.equals(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        where
            + ": PublicKeyAlgorithm \""
            + value
            + "\" is not supported (cryptogen takes \"ecdsa\" or \"ed25519\")");
  }
}
