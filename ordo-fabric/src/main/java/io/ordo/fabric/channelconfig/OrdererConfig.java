package io.ordo.fabric.channelconfig;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * The /Channel/Orderer section.
 *
 * @param consensusType "etcdraft", "BFT", ...
 * @param consensusMetadata the raw ConsensusType.metadata
 * @param etcdRaft the decoded etcdraft metadata when the type is etcdraft
 */
public record OrdererConfig(
    String consensusType,
    ConsensusType.State consensusState,
    byte[] consensusMetadata,
    Optional<EtcdRaftConfig> etcdRaft,
    BatchSizeConfig batchSize,
    Duration batchTimeout,
    long maxChannels,
    Set<String> capabilities,
    Map<String, OrgConfig> orgs) {
  public OrdererConfig {
    capabilities = Set.copyOf(capabilities);
    orgs = Map.copyOf(orgs);
  }
}
