package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.cli.testing.TestMaterial;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeSizerTest {
  @TempDir static Path crypto;
  private static SignedEnvelopes signer;

  @BeforeAll
  static void signer() {
    TestMaterial material = TestMaterial.generate(crypto);
    signer =
        new SignedEnvelopes(
            LocalSigningIdentity.load(
                material.clientMsp(), TestMaterial.CLIENT_MSP_ID, Ecdsa.preferred()),
            Optional.empty(),
            new SecureRandom());
  }

  /**
   * Every size from the smallest on, across the sizes where a nested message's length prefix grows
   * from one byte to two (the random bytes then cross 128 at several levels), comes out exact.
   */
  @Test
  void everySizeAcrossTheLengthPrefixBoundariesIsReachedExactly() {
    EnvelopeSizer sizer = new EnvelopeSizer(signer, "mychannel", Instant.now());
    long seed = new SecureRandom().nextLong();
    System.out.println("EnvelopeSizerTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int bytes = sizer.smallest(); bytes < sizer.smallest() + 400; bytes++) {
      for (int k = 0; k < 4; k++) {
        EnvelopeSizer.Sized sized = sizer.envelopeOf(bytes, random.split());
        assertThat(sized.envelope().getSerializedSize()).as("size %d", bytes).isEqualTo(bytes);
      }
    }
  }
}
