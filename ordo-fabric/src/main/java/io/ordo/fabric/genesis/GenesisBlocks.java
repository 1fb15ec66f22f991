package io.ordo.fabric.genesis;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.MetadataSlot;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.envelope.TxIds;
import java.security.SecureRandom;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Genesis blocks as Fabric's {@code genesis.(*factory).Block} makes them
 * (common/genesis/genesis.go).
 */
public final class GenesisBlocks {
  private GenesisBlocks() {}

  /** The genesis block of {@code channelId} with the config tree {@code channelGroup}. */
  public static Block create(
      String channelId, ConfigGroup channelGroup, SecureRandom random, Instant now) {
    byte[] nonce = new byte[Envelopes.NONCE_BYTES];
    random.nextBytes(nonce);
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(HeaderType.CONFIG_VALUE)
            // genesis.go's msgVersion: configtxgen's blocks carry 1 here, unlike orderer envelopes
            .setVersion(1)
            .setChannelId(channelId)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .setTxId(TxIds.compute(nonce, new byte[0]))
            .build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(channelHeader.toByteString())
                    .setSignatureHeader(
                        SignatureHeader.newBuilder()
                            .setNonce(ByteString.copyFrom(nonce))
                            .build()
                            .toByteString()))
            .setData(
                ConfigEnvelope.newBuilder()
                    .setConfig(Config.newBuilder().setChannelGroup(channelGroup))
                    .build()
                    .toByteString())
            .build();
    BlockData data =
        BlockData.newBuilder()
            .addData(
                Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString())
            .build();
    var metadata = Blocks.emptyMetadata().toBuilder();
    // an OrdererBlockMetadata whose last_config is present but at index 0: 0a 02 0a 00
    metadata.setMetadata(
        MetadataSlot.SIGNATURES.index(),
        Metadata.newBuilder()
            .setValue(
                OrdererBlockMetadata.newBuilder()
                    .setLastConfig(LastConfig.getDefaultInstance())
                    .build()
                    .toByteString())
            .build()
            .toByteString());
    return Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(0)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data))))
        .setData(data)
        .setMetadata(metadata)
        .build();
  }
}
