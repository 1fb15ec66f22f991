package io.ordo.orderer.deliver;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * Fabric's SessionAccessControl for one Deliver request: the readers policy ({@code
 * /Channel/Readers}, or {@code /Channel/Orderer/Readers} in maintenance mode) is evaluated at the
 * start and again whenever the channel config sequence has moved on; the creator's certificate
 * expiry is checked before every block. Used by one thread at a time.
 */
final class SessionAccess {
  static final String READERS = "/Channel/Readers";
  static final String ORDERER_READERS = "/Channel/Orderer/Readers";

  private final Supplier<ChannelConfig> config;
  private final List<SignedData> signedData;
  private final Optional<Instant> expiresAt;
  private final Clock clock;
  private long evaluatedAt = -1;

  SessionAccess(
      Supplier<ChannelConfig> config,
      List<SignedData> signedData,
      byte[] creator,
      boolean noExpirationChecks,
      Clock clock) {
    this.config = config;
    this.signedData = List.copyOf(signedData);
    this.expiresAt = noExpirationChecks ? Optional.empty() : notAfter(creator);
    this.clock = clock;
  }

  /** Why the client may no longer read, or empty if it may. */
  Optional<String> check() {
    if (expiresAt.isPresent() && clock.instant().isAfter(expiresAt.get())) {
      return Optional.of("deliver client identity expired");
    }
    ChannelConfig current = config.get();
    if (current.sequence() == evaluatedAt) {
      return Optional.empty();
    }
    String path =
        current.orderer().consensusState() == ConsensusType.State.STATE_MAINTENANCE
            ? ORDERER_READERS
            : READERS;
    Optional<Policy> policy = current.policies().find(path);
    if (policy.isEmpty()) {
      return Optional.of("could not find policy " + path);
    }
    try {
      policy.get().evaluate(signedData);
    } catch (PolicyNotSatisfiedException e) {
      return Optional.of("policy " + path + " not satisfied: " + e.getMessage());
    }
    evaluatedAt = current.sequence();
    return Optional.empty();
  }

  private static Optional<Instant> notAfter(byte[] creator) {
    try {
      SerializedIdentity id = SerializedIdentity.parseFrom(creator);
      return Optional.of(Pem.certificate(id.getIdBytes().toByteArray()).getNotAfter().toInstant());
    } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
      return Optional.empty(); // not an X.509 identity: nothing expires; the policy judges it
    }
  }
}
