package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.ChannelMsps;
import io.ordo.fabric.policy.PolicyManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/** Reading a node's whole chain over Deliver, and the checks every chain must pass. */
final class Chains {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private Chains() {}

  /** Blocks 0 to the node's current height - 1, over Deliver. */
  static List<Block> read(ProcessCluster cluster, SignedRequests requests, int node) {
    long height =
        cluster
            .height(node)
            .orElseThrow(() -> new AssertionError("node " + node + " does not answer"));
    DeliverCall call =
        DeliverCall.run(
            cluster.client(node),
            requests.seek(
                SignedRequests.oldest(),
                SignedRequests.specified(height - 1),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY),
            READ_TIMEOUT);
    assertThat(call.status()).as("Deliver of node %d's chain", node).isEqualTo("SUCCESS");
    assertThat(call.blocks().size()).as("blocks of node %d", node).isEqualTo(height);
    return call.blocks();
  }

  /** Numbers 0..n-1, each header pointing at the previous header's hash and its data's hash. */
  static void assertHashChained(int node, List<Block> blocks) {
    for (int i = 0; i < blocks.size(); i++) {
      BlockHeader h = blocks.get(i).getHeader();
      assertThat(h.getNumber()).as("node %d block %d number", node, i).isEqualTo(i);
      assertThat(h.getDataHash().toByteArray())
          .as("node %d block %d data hash", node, i)
          .isEqualTo(BlockHashing.dataHash(blocks.get(i).getData()));
      if (i > 0) {
        assertThat(h.getPreviousHash().toByteArray())
            .as("node %d block %d previous hash", node, i)
            .isEqualTo(BlockHashing.headerHash(blocks.get(i - 1).getHeader()));
      }
    }
  }

  /**
   * Every block after the genesis block carries orderer signatures that satisfy the channel's
   * {@code /Channel/Orderer/BlockValidation} policy, as a peer or block puller checks them.
   */
  static void assertSigned(int node, List<Block> blocks) {
    ConfigGroup channel = ChannelConfigLoader.configOf(blocks.getFirst()).getChannelGroup();
    PolicyManager policies =
        PolicyManager.forChannel(channel, ChannelMsps.fromChannelGroup(channel), Ecdsa.preferred());
    BlockVerifier verifier = new BlockVerifier(policies.get("/Channel/Orderer/BlockValidation"));
    for (int i = 1; i < blocks.size(); i++) {
      try {
        verifier.verify(blocks.get(i), BlockHashing.headerHash(blocks.get(i - 1).getHeader()));
      } catch (RuntimeException e) {
        throw new AssertionError("node " + node + " block " + i + ": " + e.getMessage(), e);
      }
    }
  }

  /** No fork: at every height both chains hold, the same header (so the same hash and data). */
  static void assertSameAtEveryHeight(int nodeA, List<Block> a, int nodeB, List<Block> b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      assertThat(b.get(i).getHeader())
          .as("block %d of node %d against node %d (fork)", i, nodeB, nodeA)
          .isEqualTo(a.get(i).getHeader());
    }
  }

  /**
   * Every block of {@code earlier} is still in {@code later}, unchanged: nothing committed lost.
   */
  static void assertKeeps(String what, List<Block> earlier, List<Block> later) {
    assertThat(later.size())
        .as("%s: the chain shrank from %d blocks", what, earlier.size())
        .isGreaterThanOrEqualTo(earlier.size());
    for (int i = 0; i < earlier.size(); i++) {
      assertThat(later.get(i).getHeader())
          .as("%s: block %d changed", what, i)
          .isEqualTo(earlier.get(i).getHeader());
    }
  }

  /** No id twice in the chain: nothing ordered twice. */
  static void assertNoDuplicates(List<String> ordered) {
    Set<String> seen = new HashSet<>();
    List<String> twice = ordered.stream().filter(id -> !seen.add(id)).toList();
    assertThat(twice).as("envelopes ordered twice").isEmpty();
  }

  /** Every envelope in the chain is one the clients sent. */
  static void assertAllSent(List<String> ordered, Set<String> sent) {
    List<String> unknown = ordered.stream().filter(id -> !sent.contains(id)).toList();
    assertThat(unknown).as("ordered envelopes that no client sent").isEmpty();
  }

  /** The same number of blocks on every node. */
  static void assertSameHeight(Map<Integer, List<Block>> chains) {
    Map<Integer, Integer> heights = new TreeMap<>();
    chains.forEach((node, blocks) -> heights.put(node, blocks.size()));
    assertThat(Set.copyOf(heights.values())).as("heights %s", heights).hasSize(1);
  }

  /** The transaction ids of a chain, in order. */
  static List<String> ids(List<Block> blocks) {
    List<String> out = new ArrayList<>();
    blocks.forEach(b -> out.addAll(SignedRequests.ids(b)));
    return out;
  }
}
