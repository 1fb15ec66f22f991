package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.orderer.cluster.ClusterMembership;
import io.ordo.orderer.config.ConsensusConfig;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdRaftConsenterTest {
  private static final TestOrg ORDERERS = new TestOrg("OrdererMSP");
  private static final List<TestOrg.TlsIdentity> TLS =
      List.of(
          ORDERERS.tls("orderer1.example.com"),
          ORDERERS.tls("orderer2.example.com"),
          ORDERERS.tls("orderer3.example.com"));

  private static EtcdRaftConsenter consenterWith(X509Certificate self) {
    // these tests never send: no cluster client is needed
    return new EtcdRaftConsenter(
        new ConsensusConfig(
            Path.of("wal"), Path.of("snap"), Duration.ofMinutes(10), Optional.empty()),
        self,
        new ClusterMembership(),
        unreachable -> null);
  }

  private static Map<Long, RaftConsenter> consenters(long... ids) {
    Map<Long, RaftConsenter> m = new java.util.TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      byte[] pem = TLS.get(i).certificatePem();
      m.put(ids[i], new RaftConsenter("orderer" + (i + 1), 7050, pem, pem));
    }
    return m;
  }

  @Test
  void selfIdIsTheRaftIdOfTheConsenterWithThisNodesServerCertificate() {
    assertThat(consenterWith(TLS.get(1).certificate()).detectSelfId(consenters(1, 2, 3)))
        .hasValue(2);
    // IDs come from the block metadata, not from the position
    assertThat(consenterWith(TLS.get(1).certificate()).detectSelfId(consenters(4, 7, 9)))
        .hasValue(7);
  }

  @Test
  void aRenewedCertificateWithTheSamePublicKeyStillMatches() {
    Instant now = Instant.now();
    X509Certificate renewed =
        ORDERERS.tlsCa.issueTls(
            "orderer3-renewed",
            List.of("orderer3-renewed"),
            TLS.get(2).keys().getPublic(),
            now,
            now.plus(Duration.ofDays(1)));
    assertThat(consenterWith(renewed).detectSelfId(consenters(1, 2, 3))).hasValue(3);
  }

  @Test
  void aNodeWhoseKeyIsNoConsentersIsNotAMember() {
    X509Certificate stranger = ORDERERS.tls("orderer9.example.com").certificate();
    assertThat(consenterWith(stranger).detectSelfId(consenters(1, 2, 3))).isEmpty();
    ChannelConfig config = channelConfig();
    assertThat(consenterWith(stranger).isConsenter(config)).isFalse();
    assertThat(consenterWith(TLS.get(0).certificate()).isConsenter(config)).isTrue();
  }

  private static ChannelConfig channelConfig() {
    TestChannelConfig tc = new TestChannelConfig().ordererOrg(ORDERERS);
    for (int i = 0; i < 3; i++) {
      byte[] pem = TLS.get(i).certificatePem();
      tc.consenter("orderer" + (i + 1) + ".example.com", 7050, pem, pem);
    }
    return ChainCluster.LOADER.load(tc.build());
  }
}
