package io.ordo.orderer.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Damage done to a node's files, as a failing disk or a careless operator would do it. */
final class DiskDamage {
  /** Index record: file int32, offset int64, length int32, CRC32C int32. */
  private static final int INDEX_RECORD = 20;

  /** Block frame header: length int32, CRC32C int32. */
  private static final int FRAME_HEADER = 8;

  /** WAL record header: payload length int32, CRC32C int32, type int8. */
  private static final int WAL_HEADER = 9;

  private static final int WAL_ENTRY = 3;

  private DiskDamage() {}

  /**
   * A block whose bytes were changed where they lie.
   *
   * @param offset where its frame starts in {@code file}
   */
  record Flipped(Path file, long offset, long block) {}

  /** Flips one byte in the middle of block {@code n}'s bytes in the ledger in {@code ledgerDir}. */
  static Flipped flipByteInBlock(Path ledgerDir, long n) {
    try (RandomAccessFile index = new RandomAccessFile(ledgerDir.resolve("index").toFile(), "r")) {
      index.seek(n * INDEX_RECORD);
      int file = index.readInt();
      long offset = index.readLong();
      int length = index.readInt();
      Path blocks = ledgerDir.resolve(String.format("blockfile_%06d", file));
      flip(blocks, offset + FRAME_HEADER + length / 2);
      return new Flipped(blocks, offset, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Flips one byte in the payload of the entry record in the middle of the newest WAL segment in
   * {@code walDir}, so that whole records follow it.
   *
   * @return the segment
   */
  static Path corruptWalEntryMidSegment(Path walDir) {
    Path segment;
    try (Stream<Path> files = Files.list(walDir)) {
      segment =
          files
              .filter(p -> p.getFileName().toString().endsWith(".wal"))
              .max(Path::compareTo)
              .orElseThrow(() -> new IllegalStateException("no WAL segment in " + walDir));
      ByteBuffer wal = ByteBuffer.wrap(Files.readAllBytes(segment));
      List<long[]> entries = new ArrayList<>();
      for (int at = 0; at + WAL_HEADER <= wal.limit(); ) {
        int length = wal.getInt(at);
        byte type = wal.get(at + 8);
        if (length == 0 && type == 0) {
          break; // the zeros of a pre-allocated segment
        }
        if (type == WAL_ENTRY) {
          entries.add(new long[] {at, length});
        }
        at += WAL_HEADER + length;
      }
      if (entries.size() < 3) {
        throw new IllegalStateException(segment + " holds only " + entries.size() + " entries");
      }
      long[] middle = entries.get(entries.size() / 2);
      flip(segment, middle[0] + WAL_HEADER + middle[1] / 2);
      return segment;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folders the node moved a channel's damaged data to. */
  static List<Path> damagedFolders(Path ledgerLocation, String channel) {
    Path root = ledgerLocation.resolve("damaged");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith(channel + "-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
  }
}
