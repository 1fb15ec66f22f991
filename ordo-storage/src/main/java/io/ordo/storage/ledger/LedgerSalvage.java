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
  private final List<BlockLocation> locations;
  private final Map<Integer, FileChannel> files = new HashMap<>();

  private LedgerSalvage(Path dir, List<BlockLocation> locations) {
    this.dir = dir;
    this.locations = locations;
  }

  /** The ledger in {@code dir}, or an empty one when there is nothing to read there. */
  public static LedgerSalvage open(Path dir) {
    List<BlockLocation> indexed = indexed(dir);
    return new LedgerSalvage(dir, indexed.isEmpty() ? framed(dir) : indexed);
  }

  /** How many blocks have a location; some of them may still not be readable. */
  public long located() {
    return locations.size();
  }

  /** Block {@code n} if it is located and its frame, checksum, encoding and number are intact. */
  public Optional<Block> block(long n) {
    if (n < 0 || n >= locations.size()) {
      return Optional.empty();
    }
    BlockLocation loc = locations.get((int) n);
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
  private static List<BlockLocation> indexed(Path dir) {
    Path index = dir.resolve(LedgerRecovery.INDEX_FILE);
    List<BlockLocation> out = new ArrayList<>();
    if (!Files.isRegularFile(index)) {
      return out;
    }
    ByteBuffer buf;
    try {
      buf = ByteBuffer.wrap(Files.readAllBytes(index));
    } catch (IOException e) {
      return out;
    }
    for (int at = 0; at + BlockLocation.RECORD_BYTES <= buf.limit(); ) {
      BlockLocation loc = BlockLocation.readFrom(buf, at);
      BlockLocation prev = out.isEmpty() ? null : out.getLast();
      boolean follows =
          loc != null
              && loc.length() > 0
              && (prev == null
                  ? loc.file() == 0 && loc.offset() == 0
                  : (loc.file() == prev.file() && loc.offset() == prev.end())
                      || (loc.file() == prev.file() + 1 && loc.offset() == 0));
      if (!follows) {
        break;
      }
      out.add(loc);
      at += BlockLocation.RECORD_BYTES;
    }
    return out;
  }

  /** Frames one after the other from the start of each block file, to the first that is not. */
  private static List<BlockLocation> framed(Path dir) {
    List<BlockLocation> out = new ArrayList<>();
    for (int file = 0; ; file++) {
      Path path = dir.resolve(BlockFrames.fileName(file));
      if (!Files.isRegularFile(path)) {
        return out;
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
          return out; // a frame that does not follow: what comes after is not trusted
        }
      } catch (IOException e) {
        return out;
      }
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
