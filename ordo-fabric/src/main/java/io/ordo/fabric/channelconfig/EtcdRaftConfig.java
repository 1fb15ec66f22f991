package io.ordo.fabric.channelconfig;

import java.util.List;

/** The etcdraft ConfigMetadata of /Channel/Orderer/ConsensusType. */
public record EtcdRaftConfig(List<RaftConsenter> consenters, RaftOptions options) {
  public EtcdRaftConfig {
    consenters = List.copyOf(consenters);
  }
}
