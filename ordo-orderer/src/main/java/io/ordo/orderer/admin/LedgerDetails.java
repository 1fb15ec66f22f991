package io.ordo.orderer.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ordo's addition to a channel's detailed answer (asked with {@code ?details=true}): the first
 * block its ledger holds, and the KeepBlocks of the node's pruning (0 when it keeps every block).
 * Shown under {@code "ordo": {"ledger": ...}}; Fabric's answer has no such field.
 */
public record LedgerDetails(long firstBlock, long keepBlocks) {
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("firstBlock", firstBlock);
    m.put("keepBlocks", keepBlocks);
    return m;
  }
}
