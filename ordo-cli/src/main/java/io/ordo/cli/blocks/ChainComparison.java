package io.ordo.cli.blocks;

import io.ordo.fabric.block.BlockHashing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Whether several orderers hold the same chain: the header hash of each block they delivered
 * (header hashes chain, so equal hashes at a number mean equal chains up to it; each orderer signs
 * its own copy, so signatures may differ). A node that is behind is compared on the blocks it has.
 */
public final class ChainComparison {
  private final Map<String, List<byte[]>> hashesByOrderer = new LinkedHashMap<>();

  /** Records a block delivered by {@code orderer}, blocks coming in number order from 0. */
  public void add(String orderer, Block block) {
    add(orderer, BlockHashing.headerHash(block.getHeader()));
  }

  /** Records the header hash of the next block of {@code orderer}'s chain. */
  public synchronized void add(String orderer, byte[] headerHash) {
    hashesByOrderer.computeIfAbsent(orderer, o -> new ArrayList<>()).add(headerHash);
  }

  /** The first block number at which two orderers differ, said as one line; empty if none. */
  public synchronized Optional<String> firstDifference() {
    List<Map.Entry<String, List<byte[]>>> chains = List.copyOf(hashesByOrderer.entrySet());
    if (chains.isEmpty()) {
      return Optional.empty();
    }
    Map.Entry<String, List<byte[]>> first = chains.getFirst();
    for (Map.Entry<String, List<byte[]>> other : chains.subList(1, chains.size())) {
      int common = Math.min(first.getValue().size(), other.getValue().size());
      for (int n = 0; n < common; n++) {
        if (!Arrays.equals(first.getValue().get(n), other.getValue().get(n))) {
          return Optional.of(
              "the chains of "
                  + first.getKey()
                  + " and "
                  + other.getKey()
                  + " differ at block "
                  + n
                  + " (header hashes)");
        }
      }
    }
    return Optional.empty();
  }

  /** "identical chains on N orderers (heights a, b, c)". */
  public synchronized String agreement() {
    return "identical chains on "
        + hashesByOrderer.size()
        + " orderers (heights "
        + String.join(
            ", ", hashesByOrderer.values().stream().map(l -> Integer.toString(l.size())).toList())
        + ")";
  }
}
