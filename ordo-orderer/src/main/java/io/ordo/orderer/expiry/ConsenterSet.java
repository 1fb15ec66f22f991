package io.ordo.orderer.expiry;

import io.ordo.fabric.channelconfig.RaftConsenter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The consenters of one channel this node is a consenter of, as its chain knows them now.
 *
 * @param self this node's raft ID in the channel
 * @param consenters raft ID to consenter (endpoint and PEM TLS certificates)
 */
public record ConsenterSet(long self, Map<Long, RaftConsenter> consenters) {
  public ConsenterSet {
    consenters = java.util.Collections.unmodifiableMap(new TreeMap<>(consenters));
  }

  /** Where the consenter sets of this node's channels come from (the etcdraft consenter). */
  @FunctionalInterface
  public interface Source {
    /** Channel to consenter set, for every channel this node runs as a consenter now. */
    Map<String, ConsenterSet> current();
  }
}
