package io.ordo.orderer.server;

import io.ordo.orderer.config.LocalConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on FileLedger.Location for as long as the node runs, taken before any channel
 * is opened: two nodes on one data folder would interleave their WAL and block writes. The file
 * holds the holder's process ID, so that the second node can say who holds it. The kernel releases
 * the lock when the holder dies, so a stale file never blocks a start.
 */
final class DataFolderLock implements AutoCloseable {
  static final String FILE_NAME = ".ordo.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @param holder what this process is, for the message another process would print
   * @throws LocalConfigException naming the folder and the holding process when another holds it
   */
  static DataFolderLock acquire(String key, Path dir, String holder) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lk = ch.tryLock();
      if (lk == null) {
        String other = holder(ch);
        ch.close();
        throw new LocalConfigException(
            key, "the data folder " + dir + " is in use by " + other + "; stop it first");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n" + holder + "\n")
                  .getBytes(StandardCharsets.UTF_8)),
          0);
      ch.force(false);
      return new DataFolderLock(ch, lk);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new LocalConfigException(key, "cannot lock " + file + ": " + e.getMessage(), e);
    } catch (java.nio.channels.OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new LocalConfigException(
          key, "the data folder " + dir + " is in use by this process (another node in it)", e);
    }
  }

  /** "process 1234 (an Ordo orderer)", from the holder's file and the system's process table. */
  private static String holder(FileChannel ch) throws IOException {
    String[] text = new String(readAll(ch), StandardCharsets.UTF_8).strip().split("\n", 2);
    long pid;
    try {
      pid = Long.parseLong(text[0].strip());
    } catch (NumberFormatException e) {
      return "another process";
    }
    String what = text.length > 1 ? text[1].strip() : "";
    if (what.isEmpty()) {
      what = ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElse("");
    }
    return "process " + pid + (what.isEmpty() ? "" : " (" + what + ")");
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 1024));
    ch.read(b, 0);
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the error being reported matters more
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
