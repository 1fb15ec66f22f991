package io.ordo.fabric.block;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Whether a block or an envelope is a config one (Fabric's {@code protoutil.IsConfigBlock}): the
 * one place the node decides it by parsing. Where the answer is already known (a submission
 * classified when it arrived, a block this leader built), it is carried instead of derived again.
 */
public final class ConfigBlocks {
  private ConfigBlocks() {}

  /** Whether the block holds exactly one envelope and it is a CONFIG one. */
  public static boolean isConfigBlock(Block block) {
    if (block.getData().getDataCount() != 1) {
      return false;
    }
    try {
      return isConfig(Envelope.parseFrom(block.getData().getData(0)));
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /** Whether the envelope's channel header says CONFIG; false when it has no readable one. */
  public static boolean isConfig(Envelope envelope) {
    try {
      Payload payload = Payload.parseFrom(envelope.getPayload());
      if (!payload.hasHeader()) {
        return false;
      }
      ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      return header.getType() == HeaderType.CONFIG_VALUE;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }
}
