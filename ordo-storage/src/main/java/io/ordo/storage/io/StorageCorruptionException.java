package io.ordo.storage.io;

import java.nio.file.Path;

/**
 * Bytes on disk that cannot be what the store wrote, at a place where a crash cannot explain them
 * (anything but the torn tail of the newest file). The node must stop: the operator decides.
 */
public final class StorageCorruptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long offset;

  public StorageCorruptionException(Path file, long offset, String problem) {
    super(file + " at offset " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
  }

  /**
   * Damage of a whole file or folder ({@link #offset()} is -1): missing, or holding nothing usable.
   */
  public StorageCorruptionException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.offset = -1;
  }

  public Path file() {
    return file;
  }

  /** Where in {@link #file()} the damage starts; -1 when the whole file or folder is. */
  public long offset() {
    return offset;
  }
}
