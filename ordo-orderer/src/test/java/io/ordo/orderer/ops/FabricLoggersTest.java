package io.ordo.orderer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The component a line is shown under. */
class FabricLoggersTest {
  @Test
  void ordosPackagesGoUnderFabricsLoggerNames() {
    assertThat(FabricLoggers.fabricName("io.ordo.orderer.consensus.etcdraft.BlockApplier"))
        .isEqualTo("orderer.consensus.etcdraft");
    assertThat(FabricLoggers.fabricName("io.ordo.orderer.multichannel.Registrar"))
        .isEqualTo("orderer.common.multichannel");
    assertThat(FabricLoggers.fabricName("io.ordo.orderer.replication.BlockPuller"))
        .isEqualTo("orderer.common.cluster.puller");
    assertThat(FabricLoggers.fabricName("io.ordo.storage.ledger.BlockLedger"))
        .isEqualTo("blkstorage");
    assertThat(FabricLoggers.fabricName("io.ordo.storage.RaftStorage"))
        .isEqualTo("orderer.consensus.etcdraft");
  }

  @Test
  void otherLoggersKeepTheirPackage() {
    assertThat(FabricLoggers.fabricName("io.ordo.raft.RawNode")).isEqualTo("raft");
    assertThat(FabricLoggers.fabricName("io.ordo.storage.io.FileAppender")).isEqualTo("storage.io");
    assertThat(FabricLoggers.fabricName("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler"))
        .isEqualTo("grpc");
    assertThat(FabricLoggers.fabricName("org.example.Thing")).isEqualTo("org.example");
  }

  @Test
  void theClassIsTheLastPartOfTheLoggersName() {
    assertThat(FabricLoggers.className("io.ordo.orderer.consensus.etcdraft.Node"))
        .isEqualTo("Node");
  }
}
