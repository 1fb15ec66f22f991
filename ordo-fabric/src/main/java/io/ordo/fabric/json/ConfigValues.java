package io.ordo.fabric.json;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Consortium;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.IdemixMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ChannelRestrictions;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.AnchorPeers;

/**
 * Which message a config value, an MSP config, a consensus metadata or a policy principal holds, by
 * the key or type that names it (the same table configtxlator keeps per group).
 */
final class ConfigValues {
  // keys are unique across the Channel, Orderer, Application and org groups
  private static final Map<String, Parser<? extends Message>> BY_KEY =
      Map.ofEntries(
          Map.entry("HashingAlgorithm", HashingAlgorithm.parser()),
          Map.entry("BlockDataHashingStructure", BlockDataHashingStructure.parser()),
          Map.entry("OrdererAddresses", OrdererAddresses.parser()),
          Map.entry("Consortium", Consortium.parser()),
          Map.entry("Capabilities", Capabilities.parser()),
          Map.entry("ConsensusType", ConsensusType.parser()),
          Map.entry("BatchSize", BatchSize.parser()),
          Map.entry("BatchTimeout", BatchTimeout.parser()),
          Map.entry("ChannelRestrictions", ChannelRestrictions.parser()),
          Map.entry("MSP", MSPConfig.parser()),
          Map.entry("Endpoints", OrdererAddresses.parser()),
          Map.entry("AnchorPeers", AnchorPeers.parser()),
          Map.entry("ACLs", ACLs.parser()));

  private ConfigValues() {}

  static Optional<Parser<? extends Message>> parser(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** MSPConfig.type: 0 is an X.509 (Fabric) MSP, 1 an Idemix one. */
  static Optional<Parser<? extends Message>> mspConfigParser(int type) {
    return switch (type) {
      case 0 -> Optional.of(FabricMSPConfig.parser());
      case 1 -> Optional.of(IdemixMSPConfig.parser());
      default -> Optional.empty();
    };
  }

  static Optional<Parser<? extends Message>> consensusMetadataParser(String consensusType) {
    return switch (consensusType) {
      case "etcdraft" -> Optional.of(ConfigMetadata.parser());
      default -> Optional.empty();
    };
  }

  static Optional<Parser<? extends Message>> principalParser(
      MSPPrincipal.Classification classification) {
    return switch (classification) {
      case ROLE -> Optional.of(MSPRole.parser());
      case ORGANIZATION_UNIT -> Optional.of(OrganizationUnit.parser());
      case IDENTITY -> Optional.of(SerializedIdentity.parser());
      default -> Optional.empty();
    };
  }
}
