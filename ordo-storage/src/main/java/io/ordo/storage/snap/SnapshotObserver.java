package io.ordo.storage.snap;

/**
 * Told what saving a snapshot file cost, for an operator's metrics (the orderer's {@code
 * etcd_snap_*} series). Called on the saving thread: must be quick and must not throw.
 */
public interface SnapshotObserver {
  /** Tells nothing. */
  SnapshotObserver NONE = (marshalNanos, fsyncNanos, totalNanos) -> {};

  /**
   * A snapshot was saved durably.
   *
   * @param marshalNanos turning it into bytes
   * @param fsyncNanos the fsync of its file
   * @param totalNanos the whole save, rename and directory fsync included
   */
  void saved(long marshalNanos, long fsyncNanos, long totalNanos);
}
