package io.ordo.orderer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.testing.TestOrg;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMembershipTest {
  private static final TestOrg ORG = new TestOrg("OrdererMSP");
  private static final String CHANNEL = "mychannel";

  private static RemoteNode node(long id, X509Certificate cert) {
    return new RemoteNode(id, "127.0.0.1", 7050 + (int) id, cert, cert);
  }

  @Test
  void aSenderIsTheConsenterWhoseCertificateHasTheSamePublicKey() {
    X509Certificate two = ORG.tls("orderer2.example.com").certificate();
    X509Certificate three = ORG.tls("orderer3.example.com").certificate();
    ClusterMembership membership = new ClusterMembership();
    membership.configure(CHANNEL, List.of(node(2, two), node(3, three)));

    assertThat(membership.senderOf(CHANNEL, three)).contains(3L);
    assertThat(membership.senderOf(CHANNEL, three)).as("asked again").contains(3L);
    assertThat(membership.senderOf("other", three)).isEmpty();
  }

  @Test
  void aMembershipChangeIsSeenByTheNextLookUpDespiteEarlierAnswers() {
    X509Certificate old = ORG.tls("orderer2.example.com").certificate();
    X509Certificate rotated = ORG.tls("orderer2.example.com").certificate();
    ClusterMembership membership = new ClusterMembership();
    membership.configure(CHANNEL, List.of(node(2, old)));
    assertThat(membership.senderOf(CHANNEL, old)).contains(2L);
    assertThat(membership.senderOf(CHANNEL, rotated)).isEmpty();

    membership.configure(CHANNEL, List.of(node(2, rotated)));

    assertThat(membership.senderOf(CHANNEL, old)).isEmpty();
    assertThat(membership.senderOf(CHANNEL, rotated)).contains(2L);
    membership.remove(CHANNEL);
    assertThat(membership.senderOf(CHANNEL, rotated)).isEmpty();
  }
}
