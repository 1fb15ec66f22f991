package io.ordo.fabric.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the only hash Fabric's channels use (HashingAlgorithm "SHA256"). */
public final class Hashes {
  private Hashes() {}

  /**
   * A SHA-256 digest of the preferred provider (ACCP's native one where it loads: block data hashes
   * cover every byte ordered, several times per block), else the JDK's.
   */
  public static MessageDigest sha256Digest() {
    try {
      java.security.Provider preferred = CryptoProvider.preferred().provider();
      if (preferred != null) {
        try {
          return MessageDigest.getInstance("SHA-256", preferred);
        } catch (NoSuchAlgorithmException e) {
          // fall through to the JDK's
        }
      }
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  public static byte[] sha256(byte[]... parts) {
    MessageDigest md = sha256Digest();
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }
}
