package io.ordo.cli.blocks;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Reads the block files of a folder: every regular file whose name ends in {@code .pb} or {@code
 * .block}. A block's number is its header's; the last run of digits before the extension, when
 * there is one, is the number the name claims, checked by the verifier.
 */
public final class BlockFiles {
  private static final Pattern BLOCK_FILE = Pattern.compile(".*\\.(pb|block)");
  private static final Pattern NUMBER_IN_NAME = Pattern.compile("(\\d+)\\.(pb|block)$");

  private BlockFiles() {}

  public static boolean isBlockFile(Path p) {
    return Files.isRegularFile(p) && BLOCK_FILE.matcher(p.getFileName().toString()).matches();
  }

  /**
   * @throws CommandFailedException when the folder is missing, holds no block file or a file is not
   *     a block
   */
  public static List<BlockFile> read(Path dir) {
    InputFiles.directory(dir, "block folder");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(BlockFiles::isBlockFile).sorted().toList();
    } catch (IOException e) {
      throw new CommandFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new CommandFailedException("no block files (*.pb, *.block) in " + dir);
    }
    List<BlockFile> out = new ArrayList<>();
    for (Path f : files) {
      out.add(BlockFile.of(f, readBlock(f), numberInName(f)));
    }
    return out;
  }

  public static Block readBlock(Path file) {
    byte[] bytes = InputFiles.read(file, "block file");
    try {
      Block b = Block.parseFrom(bytes);
      if (!b.hasHeader()) {
        throw new CommandFailedException(file + " is not a block: it has no header");
      }
      return b;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new CommandFailedException(
          file + " is not a block (" + bytes.length + " bytes that do not decode as common.Block)",
          e);
    }
  }

  static OptionalLong numberInName(Path f) {
    Matcher m = NUMBER_IN_NAME.matcher(f.getFileName().toString());
    if (!m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
