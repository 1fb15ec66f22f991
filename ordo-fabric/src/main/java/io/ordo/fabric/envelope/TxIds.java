package io.ordo.fabric.envelope;

import io.ordo.fabric.crypto.Hashes;
import java.util.HexFormat;

/** Fabric's transaction id convention: lowercase hex of SHA-256(nonce || creator). */
public final class TxIds {
  private TxIds() {}

  public static String compute(byte[] nonce, byte[] creator) {
    return HexFormat.of().formatHex(Hashes.sha256(nonce, creator));
  }
}
