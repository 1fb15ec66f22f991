package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.Test;

class CommitWatcherTxIdTest {
  private static ByteString envelope(String txId) {
    Payload payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(
                        ChannelHeader.newBuilder()
                            .setChannelId("mychannel")
                            .setTxId(txId)
                            .build()
                            .toByteString())
                    .setSignatureHeader(ByteString.copyFromUtf8("creator and nonce")))
            .setData(ByteString.copyFrom(new byte[1024]))
            .build();
    return Envelope.newBuilder()
        .setPayload(payload.toByteString())
        .setSignature(ByteString.copyFromUtf8("signature"))
        .build()
        .toByteString();
  }

  @Test
  void theTransactionIdIsReadFromTheChannelHeaderWithoutDecodingTheRest() {
    assertThat(CommitWatcher.txId(envelope("4f2a"))).isEqualTo("4f2a");
  }

  @Test
  void bytesThatAreNotAnEnvelopeHaveNoTransactionId() {
    assertThat(CommitWatcher.txId(ByteString.copyFrom(new byte[] {0x0A, 0x7F, 0x01}))).isEmpty();
    assertThat(CommitWatcher.txId(ByteString.EMPTY)).isEmpty();
  }
}
