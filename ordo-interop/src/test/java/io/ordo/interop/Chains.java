package io.ordo.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Whether the nodes of a channel hold the same chain, judged by both implementations' clients: the
 * same height on every node (osnadmin); every chain verified block by block and compared by header
 * hash ({@code ordo blocks verify}); and the newest block as Fabric's {@code peer channel fetch}
 * receives it from each node, with identical header and data (the header's hashes chain back to
 * block 0, so equal newest headers mean equal chains).
 */
final class Chains {
  private Chains() {}

  /**
   * @return the common height
   */
  static long assertIdentical(Stage stage, Network net, List<OrdererNode> nodes, Duration within) {
    long height = net.awaitSameHeight(nodes, within);
    List<String> args = new ArrayList<>(List.of("blocks", "verify", "-q"));
    args.addAll(net.clientFlags(nodes));
    ToolResult verify = stage.ordoTools().run(args);
    assertThat(verify.exitCode()).as(verify.describe()).isZero();
    if (nodes.size() > 1) {
      assertThat(verify.out()).contains("identical chains on " + nodes.size() + " orderers");
    }
    PeerCli cli = new PeerCli(stage.fabricTools(), Network.CLIENT_MSP, net.userMsp(), null);
    Path dir = stage.dir(net.dir().getFileName() + "-newest-" + height);
    Block first = null;
    for (OrdererNode n : nodes) {
      Path file = dir.resolve(n.label() + ".block");
      ToolResult r = cli.fetch("newest", file, n.clientEndpoint(), net.channel(), net.tlsCa());
      assertThat(r.exitCode()).as(r.describe()).isZero();
      Block b = read(file);
      assertThat(b.getHeader().getNumber()).as("newest block of %s", n).isEqualTo(height - 1);
      if (first == null) {
        first = b;
      } else {
        assertThat(b.getHeader())
            .as("header of block %d on %s", height - 1, n)
            .isEqualTo(first.getHeader());
        assertThat(b.getData())
            .as("data of block %d on %s", height - 1, n)
            .isEqualTo(first.getData());
      }
    }
    return height;
  }

  static Block read(Path file) {
    try {
      return Block.parseFrom(Files.readAllBytes(file));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(file + " is not a block", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
