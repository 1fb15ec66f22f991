package io.ordo.orderer.multichannel;

import io.ordo.storage.io.Directories;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;

/**
 * One block per channel kept in a folder until an operation on the channel is done (Fabric's
 * pendingops): the join block of an onboarding, the join block of a rebuild. Each is written to a
 * temporary file, fsynced and renamed, so a crash leaves the old one or the new one.
 */
final class PendingBlocks {
  private static final String SUFFIX = ".join";

  private final Path dir;

  PendingBlocks(Path dir) {
    this.dir = dir;
  }

  void save(String channel, Block block) {
    Directories.create(dir);
    Path tmp = Directories.child(dir, channel + SUFFIX + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(block.toByteArray()));
      ch.force(true);
    } catch (IOException e) {
      throw new StorageIoException(tmp, "save the pending block of " + channel, e);
    }
    Directories.renameDurably(tmp, file(channel));
  }

  /**
   * The channel's block, if one is kept.
   *
   * @throws StorageIoException if it is there but cannot be read or parsed
   */
  Optional<Block> read(String channel) {
    Path file = file(channel);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Block.parseFrom(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new StorageIoException(file, "read the pending block of " + channel, e);
    }
  }

  boolean has(String channel) {
    return Files.exists(file(channel));
  }

  void delete(String channel) {
    Path file = file(channel);
    try {
      if (Files.deleteIfExists(file)) {
        Directories.fsync(dir);
      }
    } catch (IOException e) {
      throw new StorageIoException(file, "delete", e);
    }
  }

  /** The channels with a block kept. */
  List<String> channels() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .toList();
    } catch (IOException e) {
      throw new StorageIoException(dir, "list", e);
    }
  }

  Path file(String channel) {
    return Directories.child(dir, channel + SUFFIX);
  }
}
