package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.IdentityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Refuses an envelope whose creator certificate has expired, when the channel's orderer
 * capabilities enable the check (V1_1 and later). An identity that is not an X.509 certificate has
 * no expiry and passes; the signature filter judges it.
 */
final class ExpirationRule implements Rule {
  private static final Set<String> CAPABILITIES_WITH_CHECK = Set.of("V1_1", "V1_4_2", "V2_0");

  private final Clock clock;

  ExpirationRule(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void apply(ChannelConfig config, CheckedEnvelope checked) {
    if (config.orderer().capabilities().stream().noneMatch(CAPABILITIES_WITH_CHECK::contains)) {
      return;
    }
    Optional<X509Certificate> cert = creatorCertificate(config, checked);
    if (cert.isPresent() && cert.get().getNotAfter().toInstant().isBefore(clock.instant())) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST, "broadcast client identity expired");
    }
  }

  /**
   * The creator's certificate, through the channel's cache of deserialised identities when its MSP
   * is known there (parsing a certificate per envelope is a large share of Broadcast's cost).
   */
  private static Optional<X509Certificate> creatorCertificate(
      ChannelConfig config, CheckedEnvelope checked) {
    try {
      SignatureHeader sh = checked.parsed().signatureHeader();
      try {
        return Optional.of(config.msps().deserialize(sh.getCreator()).certificate());
      } catch (IdentityException e) {
        SerializedIdentity id = SerializedIdentity.parseFrom(sh.getCreator());
        return Optional.of(Pem.certificate(id.getIdBytes().toByteArray()));
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
      return Optional.empty(); // not an X.509 identity: no expiry to check
    }
  }
}
