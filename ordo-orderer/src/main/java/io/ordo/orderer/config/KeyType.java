package io.ordo.orderer.config;

/** How the value of one orderer.yaml key is written and parsed. */
enum KeyType {
  /** A nested section of further keys. */
  SECTION,
  /** A section whose content is accepted without checking (settings Ordo never uses). */
  OPAQUE,
  STRING,
  /** A file or directory; a relative one is resolved against the config file's directory. */
  PATH,
  /** A list of files; each relative one is resolved against the config file's directory. */
  PATH_LIST,
  STRING_LIST,
  BOOL,
  /** A TCP port, 0..65535 (Go uint16). */
  PORT,
  /** A Go int (64-bit on the platforms Fabric ships for). */
  INT,
  FLOAT,
  /** Go duration syntax ("500ms", "7s", "2m"). */
  DURATION,
  /** Go uint32, also written as a byte size ("1 MB", "512k"). */
  BYTE_SIZE
}
