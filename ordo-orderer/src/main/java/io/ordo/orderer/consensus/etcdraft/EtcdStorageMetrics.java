package io.ordo.orderer.consensus.etcdraft;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.orderer.ops.FabricBuckets;
import io.ordo.storage.RaftStorageOptions;
import io.ordo.storage.snap.SnapshotObserver;
import io.ordo.storage.wal.WalObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code etcd_*} series Fabric's orderer exposes because its etcdraft chains keep their WAL and
 * snapshots with etcd's packages, which register them; an operator watches {@code
 * etcd_disk_wal_fsync_duration_seconds} for a disk too slow for raft. Ordo's own WAL and snapshot
 * files feed them, summed over the node's channels, without labels as etcd's are: WAL fsyncs and
 * bytes written ({@code etcd_disk_wal_write_bytes_total} is a gauge, as etcd declares it), each
 * snapshot's marshalling, file fsync and whole save. {@code etcd_snap_db_*} time etcd's backend
 * database snapshots, which an orderer never takes: as in Fabric they are registered and stay at
 * zero. One instance per node, made with the consenter.
 */
final class EtcdStorageMetrics implements WalObserver, SnapshotObserver {
  private final AtomicLong walBytes = new AtomicLong();
  private final Timer walFsync;
  private final Timer snapFsync;
  private final Timer snapSave;
  private final Timer snapMarshal;

  EtcdStorageMetrics(MeterRegistry registry) {
    Gauge.builder("etcd_disk_wal_write_bytes_total", walBytes, AtomicLong::get)
        .description("Total number of bytes written in WAL.")
        .register(registry);
    walFsync =
        timer(
            registry,
            "etcd_disk_wal_fsync_duration_seconds",
            "The latency distributions of fsync called by WAL.",
            FabricBuckets.ETCD_FSYNC);
    snapFsync =
        timer(
            registry,
            "etcd_snap_fsync_duration_seconds",
            "The latency distributions of fsync called by snap.",
            FabricBuckets.ETCD_FSYNC);
    snapSave =
        timer(
            registry,
            "etcd_debugging_snap_save_total_duration_seconds",
            "The total latency distributions of save called by snapshot.",
            FabricBuckets.ETCD_FSYNC);
    snapMarshal =
        timer(
            registry,
            "etcd_debugging_snap_save_marshalling_duration_seconds",
            "The marshalling cost distributions of save called by snapshot.",
            FabricBuckets.ETCD_FSYNC);
    timer(
        registry,
        "etcd_snap_db_fsync_duration_seconds",
        "The latency distributions of fsyncing .snap.db file",
        FabricBuckets.ETCD_FSYNC);
    timer(
        registry,
        "etcd_snap_db_save_total_duration_seconds",
        "The total latency distributions of v3 snapshot save",
        FabricBuckets.ETCD_SNAP_DB_SAVE);
  }

  /** Meters nobody reads (unit tests). */
  static EtcdStorageMetrics discarding() {
    return new EtcdStorageMetrics(new SimpleMeterRegistry());
  }

  /** The raft storage options of a channel whose WAL and snapshots feed these meters. */
  RaftStorageOptions storageOptions() {
    RaftStorageOptions defaults = RaftStorageOptions.defaults();
    return defaults.withWal(defaults.wal().withObserver(this)).withSnapshotObserver(this);
  }

  private static Timer timer(
      MeterRegistry registry, String name, String help, FabricBuckets buckets) {
    return Timer.builder(name)
        .description(help)
        .serviceLevelObjectives(buckets.durations())
        .register(registry);
  }

  @Override
  public void written(long bytes) {
    walBytes.addAndGet(bytes);
  }

  @Override
  public void synced(long nanos) {
    walFsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void saved(long marshalNanos, long fsyncNanos, long totalNanos) {
    snapMarshal.record(marshalNanos, TimeUnit.NANOSECONDS);
    snapFsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
    snapSave.record(totalNanos, TimeUnit.NANOSECONDS);
  }
}
