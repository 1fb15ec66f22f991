package io.ordo.orderer.testing;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.Blocks;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/** Blocks for ledgers in tests: a config block 0 and chained blocks after it. */
public final class TestBlocks {
  private TestBlocks() {}

  /** An unsigned CONFIG envelope carrying {@code config}, as a genesis block holds. */
  public static Envelope configEnvelope(String channel, Config config) {
    ChannelHeader ch =
        ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId(channel).build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(Header.newBuilder().setChannelHeader(ch.toByteString()))
            .setData(ConfigEnvelope.newBuilder().setConfig(config).build().toByteString())
            .build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build();
  }

  public static Block genesis(String channel, Config config) {
    BlockData data =
        BlockData.newBuilder().addData(configEnvelope(channel, config).toByteString()).build();
    BlockHeader header =
        BlockHeader.newBuilder()
            .setNumber(0)
            .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data)))
            .build();
    return Block.newBuilder()
        .setHeader(header)
        .setData(data)
        .setMetadata(Blocks.emptyMetadata())
        .build();
  }

  public static Block after(Block previous, List<ByteString> envelopes) {
    return Blocks.next(
        previous.getHeader().getNumber(), BlockHashing.headerHash(previous.getHeader()), envelopes);
  }
}
