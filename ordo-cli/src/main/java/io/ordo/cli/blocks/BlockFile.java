package io.ordo.cli.blocks;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A block read from a file.
 *
 * @param numberInName the number the file's name carries ({@code block-7.pb}, {@code 7.block},
 *     {@code mychannel_7.block}), if any
 */
public record BlockFile(Path file, Block block, OptionalLong numberInName) {
  public long number() {
    return block.getHeader().getNumber();
  }

  public String name() {
    return file.getFileName().toString();
  }
}
