package io.ordo.orderer.ops;

import java.util.List;

/**
 * Fabric's logger names for Ordo's packages, so that a log line names the component as Fabric's
 * would ({@code [orderer.common.multichannel]} for the registrar) and a {@code FABRIC_LOGGING_SPEC}
 * written for Fabric ({@code orderer.common.cluster=debug}) reaches the same code. A package
 * without a Fabric counterpart keeps its own name without {@code io.ordo.} ({@code raft}, {@code
 * fabric.crypto}); any library's logger its package.
 */
final class FabricLoggers {
  /** A logback logger (a package, or one class) and the Fabric logger it stands for. */
  record Entry(String logger, String fabricName) {}

  /** Most specific first where one logger name is inside another. */
  static final List<Entry> ENTRIES =
      List.of(
          new Entry("io.ordo.orderer.server", "orderer.common.server"),
          new Entry("io.ordo.orderer.multichannel", "orderer.common.multichannel"),
          new Entry("io.ordo.orderer.broadcast", "orderer.common.broadcast"),
          new Entry("io.ordo.orderer.deliver", "common.deliver"),
          new Entry("io.ordo.orderer.cluster", "orderer.common.cluster"),
          new Entry("io.ordo.orderer.replication", "orderer.common.cluster.puller"),
          new Entry("io.ordo.orderer.follower", "orderer.common.follower"),
          new Entry("io.ordo.orderer.blockcutter", "orderer.common.blockcutter"),
          new Entry("io.ordo.orderer.msgprocessor", "orderer.common.msgprocessor"),
          new Entry("io.ordo.orderer.admin", "orderer.common.channelparticipation"),
          new Entry("io.ordo.orderer.consensus.etcdraft", "orderer.consensus.etcdraft"),
          new Entry("io.ordo.orderer.config", "localconfig"),
          new Entry("io.ordo.orderer.ops", "orderer.operations"),
          new Entry("io.ordo.orderer.rpc", "comm.grpc.server"),
          new Entry("io.ordo.storage.ledger", "blkstorage"),
          new Entry("io.ordo.storage.wal", "orderer.consensus.etcdraft"),
          new Entry("io.ordo.storage.snap", "orderer.consensus.etcdraft"),
          new Entry("io.ordo.storage.RaftStorage", "orderer.consensus.etcdraft"),
          new Entry("io.ordo.fabric.msp", "msp"),
          new Entry("io.ordo.fabric.configtx", "common.configtx"),
          new Entry("io.ordo.fabric.channelconfig", "common.channelconfig"),
          new Entry("io.grpc", "grpc"));

  private FabricLoggers() {}

  /** The component a line of logback logger {@code logger} is shown under. */
  static String fabricName(String logger) {
    for (Entry e : ENTRIES) {
      if (within(logger, e.logger())) {
        return e.fabricName();
      }
    }
    String pkg = packageOf(logger);
    return pkg.startsWith(LogSpec.PACKAGE_PREFIX)
        ? pkg.substring(LogSpec.PACKAGE_PREFIX.length())
        : pkg;
  }

  /** The class of a logger named after one ({@code BlockApplier}), else the last name part. */
  static String className(String logger) {
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  /** Whether {@code logger} is {@code prefix} or a logger below it. */
  static boolean within(String logger, String prefix) {
    return logger.equals(prefix)
        || (logger.startsWith(prefix) && logger.charAt(prefix.length()) == '.');
  }

  /** A logger named after a class loses the class ({@code a.b.Name} is {@code a.b}). */
  private static String packageOf(String logger) {
    int dot = logger.lastIndexOf('.');
    if (dot > 0 && Character.isUpperCase(logger.charAt(dot + 1))) {
      return logger.substring(0, dot);
    }
    return logger;
  }
}
