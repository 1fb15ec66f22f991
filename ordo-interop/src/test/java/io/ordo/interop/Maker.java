package io.ordo.interop;

/** Which tool makes a network's crypto material or its genesis block. */
enum Maker {
  /** cryptogen, configtxgen. */
  FABRIC,
  /** {@code ordo crypto generate}, {@code ordo genesis}. */
  ORDO
}
