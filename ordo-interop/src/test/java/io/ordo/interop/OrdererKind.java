package io.ordo.interop;

/** Which implementation an orderer process is. */
enum OrdererKind {
  /** Fabric v3.0's {@code orderer} binary. */
  FABRIC,
  /** {@code java -jar ordo.jar orderer start}. */
  ORDO
}
