package io.ordo.raft;

/**
 * A {@link Storage} could not answer. The raft core handles the subclasses that etcd raft defines
 * (compacted, unavailable, snapshot out of date or not yet ready); any other storage failure is
 * fatal to the node. Instances carry no stack trace: raft uses the expected ones as answers.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message, null, false, false);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause, false, true);
  }

  /** The requested index is below the first index: the entries were compacted into a snapshot. */
  public static final class Compacted extends StorageException {
    private static final long serialVersionUID = 1L;

    public Compacted(long index, long firstIndex) {
      super(
          "requested index "
              + index
              + " is unavailable due to compaction (first index "
              + firstIndex
              + ")");
    }
  }

  /** The requested index is above the last index. */
  public static final class Unavailable extends StorageException {
    private static final long serialVersionUID = 1L;

    public Unavailable(long index, long lastIndex) {
      super("requested entry at index " + index + " is unavailable (last index " + lastIndex + ")");
    }
  }

  /** A snapshot older than the one already held was offered. */
  public static final class SnapshotOutOfDate extends StorageException {
    private static final long serialVersionUID = 1L;

    public SnapshotOutOfDate(long offered, long held) {
      super("requested snapshot index " + offered + " is older than the existing snapshot " + held);
    }
  }

  /** The snapshot is being made; the leader tries again later. */
  public static final class SnapshotTemporarilyUnavailable extends StorageException {
    private static final long serialVersionUID = 1L;

    public SnapshotTemporarilyUnavailable() {
      super("snapshot is temporarily unavailable");
    }
  }
}
