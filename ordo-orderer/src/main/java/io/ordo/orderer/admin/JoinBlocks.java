package io.ordo.orderer.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.BlockHashing;
import java.util.Arrays;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The structural part of Fabric's ValidateJoinBlock: a config block (one CONFIG envelope), with
 * metadata, a correct data hash, an Application group and no Consortiums. The channel config's
 * deeper validation is the {@link ChannelManager}'s.
 */
final class JoinBlocks {
  private JoinBlocks() {}

  /** The channel id of a valid join block; {@link IllegalArgumentException} says what is wrong. */
  static String channelId(Block block) {
    if (!block.hasData() || block.getData().getDataCount() == 0) {
      throw new IllegalArgumentException("block contains no data");
    }
    if (!block.hasMetadata() || block.getMetadata().getMetadataCount() == 0) {
      throw new IllegalArgumentException("block metadata is missing");
    }
    if (!block.hasHeader()
        || !Arrays.equals(
            BlockHashing.dataHash(block.getData()),
            block.getHeader().getDataHash().toByteArray())) {
      throw new IllegalArgumentException("block data hash does not match the block header");
    }
    if (block.getData().getDataCount() != 1) {
      throw new IllegalArgumentException("block is not a config block");
    }
    try {
      Envelope env = Envelope.parseFrom(block.getData().getData(0));
      Payload payload = Payload.parseFrom(env.getPayload());
      ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      if (header.getType() != HeaderType.CONFIG_VALUE) {
        throw new IllegalArgumentException("block is not a config block");
      }
      ConfigEnvelope config = ConfigEnvelope.parseFrom(payload.getData());
      var groups = config.getConfig().getChannelGroup().getGroupsMap();
      if (groups.containsKey("Consortiums")) {
        throw new IllegalArgumentException(
            "invalid config: contains consortiums: system channel not supported");
      }
      if (!groups.containsKey("Application")) {
        throw new IllegalArgumentException("invalid config: must contain application config");
      }
      return header.getChannelId();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "block does not decode as a config block: " + e.getMessage(), e);
    }
  }
}
