package io.ordo.storage.wal;

/**
 * Told what a WAL's saves cost the disk, for an operator's metrics (the orderer's {@code
 * etcd_disk_wal_*} series). Called on the saving thread, inside the save: must be quick and must
 * not throw.
 */
public interface WalObserver {
  /** Tells nothing. */
  WalObserver NONE = new WalObserver() {};

  /** A save (or a new segment's head) wrote {@code bytes} of framed records. */
  default void written(long bytes) {}

  /** An fsync of a segment took {@code nanos}. */
  default void synced(long nanos) {}
}
