package io.ordo.cli.blocks;

import io.ordo.fabric.block.BlockHashing;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Whether several orderers hold the same chain: the header hash of each block they delivered
 * (header hashes chain, so equal hashes at a number mean equal chains up to it; each orderer signs
 * its own copy, so signatures may differ). A node that is behind is compared on the blocks it has,
 * and one that no longer holds the first blocks (it prunes its ledger) on the blocks from its
 * first.
 */
public final class ChainComparison {
  private final Map<String, java.util.NavigableMap<Long, byte[]>> hashesByOrderer =
      new LinkedHashMap<>();

  /** Records a block delivered by {@code orderer}, blocks coming in number order. */
  public synchronized void add(String orderer, Block block) {
    hashesByOrderer
        .computeIfAbsent(orderer, o -> new java.util.TreeMap<>())
        .put(block.getHeader().getNumber(), BlockHashing.headerHash(block.getHeader()));
  }

  /** Records the header hash of the next block of {@code orderer}'s chain, from block 0 on. */
  public synchronized void add(String orderer, byte[] headerHash) {
    java.util.NavigableMap<Long, byte[]> chain =
        hashesByOrderer.computeIfAbsent(orderer, o -> new java.util.TreeMap<>());
    chain.put(chain.isEmpty() ? 0 : chain.lastKey() + 1, headerHash);
  }

  /** The first block number at which two orderers differ, said as one line; empty if none. */
  public synchronized Optional<String> firstDifference() {
    List<Map.Entry<String, java.util.NavigableMap<Long, byte[]>>> chains =
        List.copyOf(hashesByOrderer.entrySet());
    if (chains.isEmpty()) {
      return Optional.empty();
    }
    Map.Entry<String, java.util.NavigableMap<Long, byte[]>> first = chains.getFirst();
    for (Map.Entry<String, java.util.NavigableMap<Long, byte[]>> other :
        chains.subList(1, chains.size())) {
      for (Map.Entry<Long, byte[]> block : first.getValue().entrySet()) {
        long n = block.getKey();
        byte[] theirs = other.getValue().get(n);
        if (theirs != null && !Arrays.equals(block.getValue(), theirs)) {
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
            ", ",
            hashesByOrderer.values().stream()
                .map(l -> Long.toString(l.isEmpty() ? 0 : l.lastKey() + 1))
                .toList())
        + ")";
  }
}
