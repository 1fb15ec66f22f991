package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.testing.OrdererConfigUpdates;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;

/**
 * The orderer org's admin of a {@link ProcessCluster}'s channel: reads a node's current config (its
 * last config block, over Deliver) and submits config updates built against it.
 */
final class ChannelAdmin {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

  private final ProcessCluster cluster;
  private final SignedRequests reader;
  private final LocalSigningIdentity admin;
  private final SecureRandom random = new SecureRandom();

  ChannelAdmin(ProcessCluster cluster, SignedRequests reader) {
    this.cluster = cluster;
    this.reader = reader;
    this.admin = cluster.files.ordererAdmin();
  }

  /** The config block that node {@code node}'s newest block points at. */
  Block lastConfigBlock(int node) {
    Block newest = readOne(node, SignedRequests.newest());
    return readOne(node, SignedRequests.specified(Blocks.lastConfigIndex(newest)));
  }

  private Block readOne(int node, org.hyperledger.fabric.protos.orderer.SeekPosition at) {
    DeliverCall call =
        DeliverCall.run(
            cluster.client(node),
            reader.seek(at, at, SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
            READ_TIMEOUT);
    assertThat(call.status()).as("Deliver of one block of node %d", node).isEqualTo("SUCCESS");
    assertThat(call.blocks()).hasSize(1);
    return call.blocks().getFirst();
  }

  /** The sequence of the config node {@code node} runs. */
  long sequence(int node) {
    return ChannelConfigLoader.configOf(lastConfigBlock(node)).getSequence();
  }

  /**
   * A CONFIG_UPDATE changing the value {@code name} of /Channel/Orderer, made against node {@code
   * node}'s current config and signed by the orderer org's admin.
   */
  Envelope ordererValueUpdate(int node, String name, UnaryOperator<ByteString> change) {
    Config current = ChannelConfigLoader.configOf(lastConfigBlock(node));
    return OrdererConfigUpdates.signed(
        OrdererConfigUpdates.ordererValue(ClusterFiles.CHANNEL, current, name, change),
        admin,
        admin,
        random);
  }

  /** Broadcasts one envelope to node {@code node}; its answer. */
  BroadcastResponse submit(int node, Envelope update) {
    BroadcastCall call = BroadcastCall.send(cluster.client(node), update);
    assertThat(call.responses())
        .as("answer of node %d, stream end %s", node, call.end())
        .hasSize(1);
    return call.responses().getFirst();
  }

  /**
   * Submits a consenter change to node {@code via} until it is accepted (made again each time
   * against the newest config): a node refuses consenter changes while it cannot tell that the
   * consenters keep a live quorum. Returns the config sequence the change brings.
   */
  long changeConsenters(
      int via,
      UnaryOperator<org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata.Builder> edit) {
    long next = sequence(via) + 1;
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              BroadcastResponse r =
                  submit(
                      via,
                      ordererValueUpdate(
                          via, "ConsensusType", OrdererConfigUpdates.raftMetadata(edit)));
              assertThat(r.getStatus().name())
                  .as("consenter change through node %d: %s", via, r.getInfo())
                  .isEqualTo("SUCCESS");
            });
    return next;
  }

  /** Waits until every node of {@code nodes} runs the config of sequence {@code sequence}. */
  void awaitSequence(List<Integer> nodes, long sequence) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (int n : nodes) {
                assertThat(sequence(n)).as("config sequence of node %d", n).isEqualTo(sequence);
              }
            });
  }

  /** Node {@code node} as an etcdraft consenter: its consenter endpoint and TLS certificate. */
  Consenter consenter(int node) {
    return OrdererConfigUpdates.consenter(
        cluster.ports(node).consenter(), cluster.files.tlsCert(node));
  }
}
