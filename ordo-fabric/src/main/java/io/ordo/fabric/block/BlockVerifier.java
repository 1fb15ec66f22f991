package io.ordo.fabric.block;

import static io.ordo.fabric.block.BlockVerificationException.Check;

import com.google.protobuf.UnsafeByteOperations;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * Verifies a block as Fabric's block pullers and peers do: the header is present, the data hash
 * matches the data, optionally the previous hash chains to the block before, and the orderer
 * signatures in the SIGNATURES slot satisfy a policy (normally {@code
 * /Channel/Orderer/BlockValidation}).
 */
public final class BlockVerifier {
  private final Policy blockValidation;

  public BlockVerifier(Policy blockValidation) {
    this.blockValidation = Objects.requireNonNull(blockValidation, "blockValidation");
  }

  /** Verifies a block on its own (no previous-hash check). */
  public void verify(Block block) {
    verify(block, null);
  }

  /**
   * @param previousHeaderHash the header hash of the block before, or {@code null} to skip the
   *     chaining check
   * @throws BlockVerificationException naming the failed check
   */
  public void verify(Block block, byte[] previousHeaderHash) {
    long number = block.getHeader().getNumber();
    if (!block.hasHeader()) {
      throw new BlockVerificationException(Check.HEADER_PRESENT, number, "no header", null);
    }
    byte[] computed = BlockHashing.dataHash(block.getData());
    if (!Arrays.equals(computed, block.getHeader().getDataHash().toByteArray())) {
      throw new BlockVerificationException(
          Check.DATA_HASH,
          number,
          "header data_hash "
              + hex(block.getHeader().getDataHash().toByteArray())
              + " but the data hashes to "
              + hex(computed),
          null);
    }
    if (previousHeaderHash != null
        && !Arrays.equals(previousHeaderHash, block.getHeader().getPreviousHash().toByteArray())) {
      throw new BlockVerificationException(
          Check.PREVIOUS_HASH,
          number,
          "previous_hash "
              + hex(block.getHeader().getPreviousHash().toByteArray())
              + " but the block before hashes to "
              + hex(previousHeaderHash),
          null);
    }
    List<SignedData> signatures = signedData(block);
    if (signatures.isEmpty()) {
      throw new BlockVerificationException(
          Check.SIGNATURES_PRESENT, number, "no signature in the SIGNATURES metadata slot", null);
    }
    try {
      blockValidation.evaluate(signatures);
    } catch (PolicyNotSatisfiedException e) {
      throw new BlockVerificationException(Check.SIGNATURE_POLICY, number, e.getMessage(), e);
    }
  }

  /** The signed data of each orderer signature of a block. */
  public static List<SignedData> signedData(Block block) {
    Metadata signatures;
    try {
      signatures = Blocks.metadata(block, MetadataSlot.SIGNATURES);
    } catch (MalformedBlockException e) {
      throw new BlockVerificationException(
          Check.SIGNATURES_PRESENT, block.getHeader().getNumber(), e.getMessage(), e);
    }
    List<SignedData> out = new ArrayList<>();
    for (MetadataSignature s : signatures.getSignaturesList()) {
      SignatureHeader header;
      try {
        header = SignatureHeader.parseFrom(s.getSignatureHeader());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new BlockVerificationException(
            Check.SIGNATURES_PRESENT,
            block.getHeader().getNumber(),
            "a signature header does not decode",
            e);
      }
      out.add(
          new SignedData(
              UnsafeByteOperations.unsafeWrap(
                  BlockSigner.signedBytes(signatures.getValue(), s.getSignatureHeader(), block)),
              header.getCreator(),
              s.getSignature()));
    }
    return out;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
