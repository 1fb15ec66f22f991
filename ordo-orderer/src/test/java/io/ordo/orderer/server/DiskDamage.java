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

/**
 * Damage done to a node's files, as a failing disk, a crash or a careless operator would do it.
 * Public for the fault matrix of real processes ({@code io.ordo.orderer.it}).
 */
public final class DiskDamage {
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
  public record Flipped(Path file, long offset, long block) {}

  /** Flips one byte in the middle of block {@code n}'s bytes in the ledger in {@code ledgerDir}. */
  public static Flipped flipByteInBlock(Path ledgerDir, long n) {
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
  public static Path corruptWalEntryMidSegment(Path walDir) {
    Path segment = newestSegment(walDir);
    try {
      List<long[]> entries = records(segment, true);
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

  /**
   * Zeroes the second half of the last record of the newest WAL segment in {@code walDir}, as a
   * write cut short by a crash leaves it.
   *
   * @return the segment
   */
  public static Path tearWalTail(Path walDir) {
    Path segment = newestSegment(walDir);
    try {
      List<long[]> all = records(segment, false);
      if (all.isEmpty()) {
        throw new IllegalStateException(segment + " holds no record");
      }
      long[] last = all.getLast();
      long from = last[0] + WAL_HEADER + last[1] / 2;
      long to = last[0] + WAL_HEADER + last[1];
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        f.seek(from);
        f.write(new byte[(int) (to - from)]);
      }
      return segment;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Cuts the newest block file of the ledger in {@code ledgerDir} to half its length, the blocks
   * the index lists beyond the cut gone.
   *
   * @return the file
   */
  public static Path truncateNewestBlockFile(Path ledgerDir) {
    try (Stream<Path> files = Files.list(ledgerDir)) {
      Path newest =
          files
              .filter(p -> p.getFileName().toString().startsWith("blockfile_"))
              .max(Path::compareTo)
              .orElseThrow(() -> new IllegalStateException("no block file in " + ledgerDir));
      try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
      return newest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path newestSegment(Path walDir) {
    try (Stream<Path> files = Files.list(walDir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".wal"))
          .max(Path::compareTo)
          .orElseThrow(() -> new IllegalStateException("no WAL segment in " + walDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offset and payload length of each record of a segment, of entries only when asked. */
  private static List<long[]> records(Path segment, boolean entriesOnly) throws IOException {
    ByteBuffer wal = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<long[]> out = new ArrayList<>();
    for (int at = 0; at + WAL_HEADER <= wal.limit(); ) {
      int length = wal.getInt(at);
      byte type = wal.get(at + 8);
      if (length == 0 && type == 0) {
        break; // the zeros of a pre-allocated segment
      }
      if (!entriesOnly || type == WAL_ENTRY) {
        out.add(new long[] {at, length});
      }
      at += WAL_HEADER + length;
    }
    return out;
  }

  /** The folders the node moved a channel's damaged data to. */
  public static List<Path> damagedFolders(Path ledgerLocation, String channel) {
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
