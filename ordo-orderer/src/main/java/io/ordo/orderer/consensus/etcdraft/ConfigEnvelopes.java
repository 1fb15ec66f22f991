package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.EtcdRaftConfig;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * Reads the etcdraft metadata a CONFIG envelope sets, without loading the whole config: the chain
 * needs the consenters of a config before it is written (to allocate raft IDs and to see whether
 * the leader is being removed).
 */
final class ConfigEnvelopes {
  private static final String PATH = "/Channel/Orderer/ConsensusType";

  private ConfigEnvelopes() {}

  /**
   * @return the etcdraft config, empty when the consensus type is not etcdraft
   * @throws IllegalArgumentException when the envelope is not a readable CONFIG envelope
   */
  static Optional<EtcdRaftConfig> etcdRaft(Envelope configEnvelope, String channel) {
    try {
      Payload payload = Payload.parseFrom(configEnvelope.getPayload());
      ConfigGroup orderer =
          ConfigEnvelope.parseFrom(payload.getData())
              .getConfig()
              .getChannelGroup()
              .getGroupsOrDefault("Orderer", ConfigGroup.getDefaultInstance());
      ConfigValue value = orderer.getValuesOrDefault("ConsensusType", null);
      if (value == null) {
        throw new IllegalArgumentException(
            "channel " + channel + ": config envelope has no " + PATH);
      }
      ConsensusType type = ConsensusType.parseFrom(value.getValue());
      if (!"etcdraft".equals(type.getType())) {
        return Optional.empty();
      }
      return Optional.of(ChannelConfigLoader.etcdRaft(PATH, type.getMetadata()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "channel " + channel + ": config envelope does not decode: " + e.getMessage(), e);
    }
  }
}
