package io.ordo.fabric.block;

import org.hyperledger.fabric.protos.common.Block;

/** A block whose bytes do not decode as Fabric writes them; the message names the block number. */
public final class MalformedBlockException extends RuntimeException {
  public MalformedBlockException(Block block, String what, Throwable cause) {
    super("block " + block.getHeader().getNumber() + ": " + what, cause);
  }

  public MalformedBlockException(Block block, String what) {
    super("block " + block.getHeader().getNumber() + ": " + what);
  }
}
