package io.ordo.orderer.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

/** Decoding with shared bytes accepts and refuses exactly what protobuf's own decoding does. */
class SharedBytesTest {

  private static Optional<Envelope> copying(ByteString bytes) {
    try {
      return Optional.of(Envelope.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  @Property(tries = 2000)
  void anyBytesDecodeAsProtobufDecodesThem(@ForAll @Size(max = 64) byte[] raw) {
    ByteString bytes = ByteString.copyFrom(raw);
    Optional<Envelope> expected = copying(bytes);
    if (expected.isPresent()) {
      assertThat(assertParses(bytes)).isEqualTo(expected.get());
    } else {
      assertThatThrownBy(() -> SharedBytes.parse(Envelope.parser(), bytes))
          .isInstanceOf(InvalidProtocolBufferException.class);
    }
  }

  @Test
  void aBlockDecodesToTheBlockThatWasEncoded() throws InvalidProtocolBufferException {
    Block block =
        Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setNumber(7))
            .setData(
                BlockData.newBuilder()
                    .addData(ByteString.copyFromUtf8("first envelope"))
                    .addData(ByteString.copyFrom(new byte[4096])))
            .build();
    assertThat(SharedBytes.parse(Block.parser(), block.toByteString())).isEqualTo(block);
  }

  @Test
  void aStrayEndGroupTagIsRefusedAsProtobufRefusesIt() {
    // field 1 as bytes, then an end-group tag (field 2, wire type 4)
    ByteString bytes = ByteString.copyFrom(new byte[] {0x0a, 0x01, 0x41, 0x14});
    assertThat(copying(bytes)).isEmpty();
    assertThatThrownBy(() -> SharedBytes.parse(Envelope.parser(), bytes))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  private static Envelope assertParses(ByteString bytes) {
    try {
      return SharedBytes.parse(Envelope.parser(), bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("refused what protobuf accepts: " + e.getMessage(), e);
    }
  }
}
