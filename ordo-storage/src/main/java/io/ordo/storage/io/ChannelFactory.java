package io.ordo.storage.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the file channels a store writes and reads through. Production code uses {@link #DEFAULT};
 * tests substitute channels that fail like a full disk.
 */
@FunctionalInterface
public interface ChannelFactory {
  ChannelFactory DEFAULT = FileChannel::open;

  FileChannel open(Path file, OpenOption... options) throws IOException;
}
