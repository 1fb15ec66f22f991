package io.ordo.storage.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An operating-system I/O failure (full disk, failed fsync, permission) on a named file. The store
 * that raised it is unusable until reopened: after a failed fsync the kernel may have dropped the
 * dirty pages, so nothing written since the last successful one can be trusted.
 */
public final class StorageIoException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public StorageIoException(Path file, String operation, IOException cause) {
    super(operation + " of " + file + " failed: " + cause.getMessage(), cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * The storage I/O failure behind {@code t}, if it or one of its causes is one: what a log line
   * can name in one line (file, operation and the operating system's words) instead of a stack
   * trace, the failure being the disk's, not a fault of the code.
   */
  public static Optional<StorageIoException> in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StorageIoException s) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
