package io.ordo.cli.blocks;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A block to verify and where it came from.
 *
 * @param name the file's name, or the orderer it was delivered by
 * @param numberInName the number the file's name carries ({@code block-7.pb}, {@code 7.block},
 *     {@code mychannel_7.block}), if any
 */
public record BlockFile(String name, Block block, OptionalLong numberInName) {
  /** A block read from {@code file}. */
  public static BlockFile of(Path file, Block block, OptionalLong numberInName) {
    return new BlockFile(file.getFileName().toString(), block, numberInName);
  }

  /** A block delivered by the orderer at {@code endpoint}. */
  public static BlockFile delivered(String endpoint, Block block) {
    return new BlockFile(endpoint, block, OptionalLong.empty());
  }

  public long number() {
    return block.getHeader().getNumber();
  }
}
