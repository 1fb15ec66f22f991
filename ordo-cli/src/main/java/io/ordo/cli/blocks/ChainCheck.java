package io.ordo.cli.blocks;

import io.ordo.fabric.block.BlockVerificationException;

/** A check of {@code blocks verify}; a failure names the one a block did not pass. */
public enum ChainCheck {
  /** The number in the file's name is the number in the block's header. */
  FILE_NAME,
  /** No two files hold the same block number. */
  DUPLICATE,
  /** The numbers follow each other with none missing. */
  GAP,
  /**
   * The chain starts at a config block (the genesis block or a later config block), each config
   * block's /Channel/Orderer/BlockValidation policy loads, and every other block's last config is
   * the config block in force.
   */
  CONFIG,
  /** The block has a header. */
  HEADER_PRESENT,
  /** The header's data_hash is the hash of the block's data. */
  DATA_HASH,
  /** The header's previous_hash is the header hash of the block before (genesis: empty). */
  PREVIOUS_HASH,
  /** The SIGNATURES metadata slot holds at least one decodable signature. */
  SIGNATURES_PRESENT,
  /** The orderer signatures satisfy the BlockValidation policy of the config in force. */
  SIGNATURE_POLICY;

  static ChainCheck of(BlockVerificationException.Check check) {
    return switch (check) {
      case HEADER_PRESENT -> HEADER_PRESENT;
      case DATA_HASH -> DATA_HASH;
      case PREVIOUS_HASH -> PREVIOUS_HASH;
      case SIGNATURES_PRESENT -> SIGNATURES_PRESENT;
      case SIGNATURE_POLICY -> SIGNATURE_POLICY;
    };
  }
}
