package io.ordo.storage.ledger;

import io.ordo.storage.io.Crc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Reads what is left of a damaged ledger folder without writing to it (opening a ledger cuts torn
 * tails and rebuilds its index; this never does): the blocks its index records point to, else,
 * without a usable index, the frames that follow each other from the start of each block file up to
 * the first one that does not. Each block is checked as a read checks it, and one that fails is
 * simply not there.
 */
public final class LedgerSalvage implements AutoCloseable {
  private final Path dir;

  /** The number of the block at {@code locations.get(0)}. */
  private final long first;

  private final List<BlockLocation> locations;
  private final Map<Integer, FileChannel> files = new HashMap<>();

  /** Locations of consecutive blocks from block {@code first} on. */
  private record Located(long first, List<BlockLocation> locations) {}

  private LedgerSalvage(Path dir, Located located) {
    this.dir = dir;
    this.first = located.first();
    this.locations = located.locations();
  }

  /** The ledger in {@code dir}, or an empty one when there is nothing to read there. */
  public static LedgerSalvage open(Path dir) {
    Located indexed = indexed(dir);
    return new LedgerSalvage(dir, indexed.locations().isEmpty() ? framed(dir) : indexed);
  }

  /**
   * The number of the first located block: 0 unless the ledger was pruned or started at a later
   * block.
   */
  public long first() {
    return first;
  }

  /** One past the last located block; some of the located blocks may still not be readable. */
  public long height() {
    return first + locations.size();
  }

  /** Block {@code n} if it is located and its frame, checksum, encoding and number are intact. */
  public Optional<Block> block(long n) {
    if (n < first || n >= height()) {
      return Optional.empty();
    }
    BlockLocation loc = locations.get((int) (n - first));
    ByteBuffer buf = ByteBuffer.allocate(BlockFrames.HEADER_BYTES + loc.length());
    try {
      FileChannel ch = channel(loc.file());
      while (buf.hasRemaining()) {
        if (ch.read(buf, loc.offset() + buf.position()) < 0) {
          return Optional.empty();
        }
      }
      if (buf.getInt(0) != loc.length()
          || Crc32c.of(buf, BlockFrames.HEADER_BYTES, loc.length()) != buf.getInt(4)) {
        return Optional.empty();
      }
      Block block = Block.parseFrom(buf.slice(BlockFrames.HEADER_BYTES, loc.length()));
      return block.getHeader().getNumber() == n ? Optional.of(block) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // unreadable or not a block: not there
    }
  }

  private FileChannel channel(int file) throws IOException {
    FileChannel ch = files.get(file);
    if (ch == null) {
      ch = FileChannel.open(dir.resolve(BlockFrames.fileName(file)), StandardOpenOption.READ);
      files.put(file, ch);
    }
    return ch;
  }

  /** The index records up to the first that is torn, damaged or does not follow the one before. */
  private static Located indexed(Path dir) {
    Path index = dir.resolve(LedgerRecovery.INDEX_FILE);
    List<BlockLocation> out = new ArrayList<>();
    if (!Files.isRegularFile(index)) {
      return new Located(0, out);
    }
    ByteBuffer buf;
    try {
      buf = ByteBuffer.wrap(Files.readAllBytes(index));
    } catch (IOException e) {
      return new Located(0, out);
    }
    long first = 0;
    int firstFile = 0;
    int start = 0;
    BlockLocation header =
        buf.limit() >= BlockLocation.RECORD_BYTES ? BlockLocation.readFrom(buf, 0) : null;
    if (header != null && header.isHeader()) {
      first = header.offset();
      firstFile = header.length();
      start = BlockLocation.RECORD_BYTES;
    }
    for (int at = start; at + BlockLocation.RECORD_BYTES <= buf.limit(); ) {
      BlockLocation loc = BlockLocation.readFrom(buf, at);
      BlockLocation prev = out.isEmpty() ? null : out.getLast();
      boolean follows =
          loc != null
              && loc.length() > 0
              && (prev == null
                  ? loc.file() == firstFile && loc.offset() == 0
                  : (loc.file() == prev.file() && loc.offset() == prev.end())
                      || (loc.file() == prev.file() + 1 && loc.offset() == 0));
      if (!follows) {
        break;
      }
      out.add(loc);
      at += BlockLocation.RECORD_BYTES;
    }
    return new Located(first, out);
  }

  /**
   * Frames one after the other from the start of each block file, from the lowest there (a pruned
   * ledger's first file is not file 0), to the first that is not.
   */
  private static Located framed(Path dir) {
    List<BlockLocation> out = new ArrayList<>();
    int lowest = lowestFile(dir);
    for (int file = lowest; ; file++) {
      Path path = dir.resolve(BlockFrames.fileName(file));
      if (!Files.isRegularFile(path)) {
        return located(dir, out);
      }
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        long size = ch.size();
        long at = 0;
        ByteBuffer header = ByteBuffer.allocate(BlockFrames.HEADER_BYTES);
        while (at + BlockFrames.HEADER_BYTES <= size) {
          header.clear();
          if (ch.read(header, at) < BlockFrames.HEADER_BYTES) {
            break;
          }
          int length = header.getInt(0);
          if (length == 0) {
            at = size; // the zeros a direct write pads a file with; a wrong guess reads wrong
            // numbers
            break;
          }
          if (length < 0 || at + BlockFrames.HEADER_BYTES + length > size) {
            break;
          }
          out.add(new BlockLocation(file, at, length));
          at += BlockFrames.HEADER_BYTES + length;
        }
        if (at != size) {
          return located(dir, out); // a frame that does not follow: what comes after is not trusted
        }
      } catch (IOException e) {
        return located(dir, out);
      }
    }
  }

  /** Frames found: numbered from the first one's block number. */
  private static Located located(Path dir, List<BlockLocation> frames) {
    if (frames.isEmpty()) {
      return new Located(0, frames);
    }
    try (LedgerSalvage probe = new LedgerSalvage(dir, new Located(0, frames))) {
      Optional<Long> number = probe.numberAt(0);
      return number.map(n -> new Located(n, frames)).orElseGet(() -> new Located(0, List.of()));
    }
  }

  /** The header number of the block at location {@code i}, if it reads. */
  private Optional<Long> numberAt(int i) {
    BlockLocation loc = locations.get(i);
    ByteBuffer buf = ByteBuffer.allocate(BlockFrames.HEADER_BYTES + loc.length());
    try {
      FileChannel ch = channel(loc.file());
      while (buf.hasRemaining()) {
        if (ch.read(buf, loc.offset() + buf.position()) < 0) {
          return Optional.empty();
        }
      }
      return Optional.of(
          Block.parseFrom(buf.slice(BlockFrames.HEADER_BYTES, loc.length()))
              .getHeader()
              .getNumber());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int lowestFile(Path dir) {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("blockfile_\\d{6}"))
          .mapToInt(n -> Integer.parseInt(n.substring("blockfile_".length())))
          .min()
          .orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    for (FileChannel ch : files.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        // read-only: nothing to lose
      }
    }
    files.clear();
  }
}
