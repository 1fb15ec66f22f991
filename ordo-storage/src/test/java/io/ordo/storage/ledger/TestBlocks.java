package io.ordo.storage.ledger;

import com.google.protobuf.ByteString;
import java.util.Random;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;

/** Blocks whose content is a function of their number, so a reader can check them. */
public final class TestBlocks {
  private TestBlocks() {}

  public static Block block(long number, int dataBytes) {
    Random r = new Random(number * 31 + dataBytes);
    byte[] data = new byte[dataBytes];
    r.nextBytes(data);
    byte[] prev = new byte[32];
    r.nextBytes(prev);
    return Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(ByteString.copyFrom(prev))
                .setDataHash(ByteString.copyFrom(prev, 0, 16)))
        .setData(BlockData.newBuilder().addData(ByteString.copyFrom(data)))
        .setMetadata(BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY))
        .build();
  }

  /** A block of a size that varies with its number, between 50 and 1,000 data bytes. */
  public static Block block(long number) {
    return block(number, 50 + (int) ((number * 7919) % 950));
  }
}
