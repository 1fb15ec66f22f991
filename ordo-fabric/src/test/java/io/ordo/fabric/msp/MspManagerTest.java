package io.ordo.fabric.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

class MspManagerTest {
  private static final Path ORG1 =
      TestData.network().resolve("crypto/peerOrganizations/org1.example.com");

  private static final MspManager MSPS =
      new MspManager(
          List.of(new FabricMsp(MspDirectory.verifyingConfig(ORG1.resolve("msp"), "Org1MSP"))));

  private static byte[] serialized(String user) {
    Path signcerts = ORG1.resolve("users/" + user + "@org1.example.com/msp/signcerts");
    return SerializedIdentity.newBuilder()
        .setMspid("Org1MSP")
        .setIdBytes(MspDirectory.files(signcerts).get(0))
        .build()
        .toByteArray();
  }

  @Test
  void equalBytesAnywhereInABufferFindTheSameCachedIdentity() {
    byte[] user = serialized("User1");
    byte[] framed = new byte[user.length + 20];
    System.arraycopy(user, 0, framed, 7, user.length);

    Identity first = MSPS.deserialize(user);
    Identity viaView = MSPS.deserialize(ByteString.copyFrom(framed).substring(7, 7 + user.length));

    assertThat(viaView).isSameAs(first);
    assertThat(first.certificate().getSubjectX500Principal().getName()).contains("User1");
  }

  @Test
  void theCacheKeepsItsOwnCopyNotTheCallersBytes() {
    byte[] admin = serialized("Admin");
    byte[] original = admin.clone();
    Identity cached = MSPS.deserialize(admin);
    // the caller reuses its buffer for something else
    Arrays.fill(admin, (byte) 0);

    assertThat(MSPS.deserialize(original)).isSameAs(cached);
    assertThatThrownBy(() -> MSPS.deserialize(admin)).isInstanceOf(IdentityException.class);
  }

  @Test
  void keysThatOnlyDifferOutsideTheHashSamplesAreStillDifferent() {
    byte[] a = new byte[1000];
    Arrays.fill(a, (byte) 'A');
    byte[] b = a.clone();
    b[9] = 'B'; // 16 samples of 8 bytes, 66 bytes apart from the first: this byte is in none
    SerializedIdentityKey ka = SerializedIdentityKey.probe(ByteString.copyFrom(a));
    SerializedIdentityKey kb = SerializedIdentityKey.probe(ByteString.copyFrom(b));

    assertThat(ka.hashCode()).isEqualTo(kb.hashCode());
    assertThat(ka).isNotEqualTo(kb);
    assertThat(ka).isEqualTo(ka.owned());
    assertThat(kb.owned()).isEqualTo(kb);
  }
}
