package io.ordo.fabric.block;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/** Building an unsigned block and reading what the orderer wrote in its metadata. */
public final class Blocks {
  private Blocks() {}

  /**
   * The block after ({@code previousNumber}, {@code previousHeaderHash}) holding the envelopes'
   * exact bytes, with all five metadata slots present and empty.
   */
  public static Block next(
      long previousNumber, byte[] previousHeaderHash, List<ByteString> envelopes) {
    BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
    BlockHeader header =
        BlockHeader.newBuilder()
            .setNumber(previousNumber + 1)
            .setPreviousHash(ByteString.copyFrom(previousHeaderHash))
            .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(data)))
            .build();
    return Block.newBuilder().setHeader(header).setData(data).setMetadata(emptyMetadata()).build();
  }

  public static BlockMetadata emptyMetadata() {
    BlockMetadata.Builder m = BlockMetadata.newBuilder();
    for (int i = 0; i < MetadataSlot.COUNT; i++) {
      m.addMetadata(ByteString.EMPTY);
    }
    return m.build();
  }

  /** The raw bytes of a metadata slot, empty when the block has fewer slots. */
  public static ByteString slot(Block block, MetadataSlot slot) {
    BlockMetadata m = block.getMetadata();
    return slot.index() < m.getMetadataCount() ? m.getMetadata(slot.index()) : ByteString.EMPTY;
  }

  /** The {@code Metadata} message of a slot. */
  public static Metadata metadata(Block block, MetadataSlot slot) {
    try {
      return Metadata.parseFrom(slot(block, slot));
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedBlockException(block, "metadata slot " + slot + " is not a Metadata", e);
    }
  }

  /**
   * The last config index: from the SIGNATURES slot's OrdererBlockMetadata, or, when that slot's
   * value is empty, from the deprecated LAST_CONFIG slot (as protoutil does).
   */
  public static long lastConfigIndex(Block block) {
    Metadata signatures = metadata(block, MetadataSlot.SIGNATURES);
    try {
      if (!signatures.getValue().isEmpty()) {
        return OrdererBlockMetadata.parseFrom(signatures.getValue()).getLastConfig().getIndex();
      }
      Metadata lastConfig = metadata(block, MetadataSlot.LAST_CONFIG);
      return org.hyperledger.fabric.protos.common.LastConfig.parseFrom(lastConfig.getValue())
          .getIndex();
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedBlockException(block, "last config index is not decodable", e);
    }
  }

  /**
   * The consensus metadata (for etcdraft a marshaled {@code etcdraft.BlockMetadata}): from the
   * SIGNATURES slot's OrdererBlockMetadata, falling back to the ORDERER slot.
   */
  public static ByteString consenterMetadata(Block block) {
    Metadata signatures = metadata(block, MetadataSlot.SIGNATURES);
    try {
      Metadata inner;
      if (!signatures.getValue().isEmpty()) {
        inner =
            Metadata.parseFrom(
                OrdererBlockMetadata.parseFrom(signatures.getValue()).getConsenterMetadata());
      } else {
        inner = metadata(block, MetadataSlot.ORDERER);
      }
      return inner.getValue();
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedBlockException(block, "consenter metadata is not decodable", e);
    }
  }
}
