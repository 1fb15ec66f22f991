package io.ordo.fabric.block;

import com.google.protobuf.ByteString;
import io.ordo.fabric.crypto.Signer;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Writes the LAST_CONFIG and SIGNATURES metadata of a block as a Fabric v3.0 orderer does when it
 * appends a block to its ledger: the signature covers {@code OrdererBlockMetadata bytes ||
 * SignatureHeader bytes || header DER}.
 */
public final class BlockSigner {
  /** Fabric's nonce length (crypto.NonceSize). */
  public static final int NONCE_BYTES = 24;

  private final Signer signer;
  private final SecureRandom random;

  public BlockSigner(Signer signer, SecureRandom random) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * @param consenterMetadata the consensus metadata to embed (for etcdraft a marshaled
   *     etcdraft.BlockMetadata), wrapped into a {@code Metadata{value}} as Fabric does
   */
  public Block sign(Block block, long lastConfigIndex, ByteString consenterMetadata) {
    LastConfig lastConfig = LastConfig.newBuilder().setIndex(lastConfigIndex).build();
    ByteString value =
        OrdererBlockMetadata.newBuilder()
            .setLastConfig(lastConfig)
            .setConsenterMetadata(
                Metadata.newBuilder().setValue(consenterMetadata).build().toByteString())
            .build()
            .toByteString();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    ByteString signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(ByteString.copyFrom(signer.serializedIdentity()))
            .setNonce(ByteString.copyFrom(nonce))
            .build()
            .toByteString();
    byte[] signature = signer.sign(signedBytes(value, signatureHeader, block));
    Metadata signatures =
        Metadata.newBuilder()
            .setValue(value)
            .addSignatures(
                MetadataSignature.newBuilder()
                    .setSignatureHeader(signatureHeader)
                    .setSignature(ByteString.copyFrom(signature)))
            .build();
    Block.Builder b = block.toBuilder();
    var metadata = b.getMetadataBuilder();
    while (metadata.getMetadataCount() < MetadataSlot.COUNT) {
      metadata.addMetadata(ByteString.EMPTY);
    }
    metadata.setMetadata(
        MetadataSlot.LAST_CONFIG.index(),
        Metadata.newBuilder().setValue(lastConfig.toByteString()).build().toByteString());
    metadata.setMetadata(MetadataSlot.SIGNATURES.index(), signatures.toByteString());
    return b.build();
  }

  /** The bytes an orderer signs for one MetadataSignature of a block. */
  static byte[] signedBytes(ByteString value, ByteString signatureHeader, Block block) {
    byte[] header = BlockHashing.headerBytes(block.getHeader());
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(value.size() + signatureHeader.size() + header.length);
    out.writeBytes(value.toByteArray());
    out.writeBytes(signatureHeader.toByteArray());
    out.writeBytes(header);
    return out.toByteArray();
  }
}
