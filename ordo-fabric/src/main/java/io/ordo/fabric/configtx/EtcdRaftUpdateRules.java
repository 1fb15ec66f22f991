package io.ordo.fabric.configtx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.channelconfig.OrgConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.FabricMsp;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;

/**
 * The checks an etcdraft orderer makes on the consensus metadata of a proposed config (Fabric's
 * {@code etcdraft.(*Chain).ValidateConsensusMetadata} with {@code VerifyConfigMetadata} and {@code
 * ComputeMembershipChanges}, orderer/consensus/etcdraft): options, at most one membership change,
 * and consenter certificates that chain to the orderer orgs' TLS roots (expiry enforced only for
 * added consenters).
 */
public final class EtcdRaftUpdateRules {
  private static final String PATH = "/Channel/Orderer/ConsensusType";

  private EtcdRaftUpdateRules() {}

  /**
   * @throws ConfigUpdateException CONSENSUS_TYPE_CHANGE when type or state differ, INVALID_CONFIG
   *     for bad options, CONSENTER_CHANGE for the membership and certificate rules
   */
  public static MembershipChange check(ChannelConfig current, ChannelConfig next, Instant now) {
    var before = current.orderer();
    var after = next.orderer();
    if (!before.consensusType().equals(after.consensusType())
        || before.consensusState() != after.consensusState()) {
      throw new ConfigUpdateException(
          Reason.CONSENSUS_TYPE_CHANGE,
          PATH
              + ": consensus type or state may not change ("
              + before.consensusType()
              + "/"
              + before.consensusState()
              + " -> "
              + after.consensusType()
              + "/"
              + after.consensusState()
              + "); migration is not supported");
    }
    if (after.etcdRaft().isEmpty() || before.etcdRaft().isEmpty()) {
      return new MembershipChange(List.of(), List.of());
    }
    try {
      ChannelConfigLoader.checkOptions(
          PATH, ConfigMetadata.parseFrom(ByteString.copyFrom(after.consensusMetadata())));
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(Reason.MALFORMED, PATH + ": metadata does not decode", e);
    } catch (ConfigException e) {
      throw new ConfigUpdateException(Reason.INVALID_CONFIG, e.getMessage(), e);
    }
    List<RaftConsenter> old = before.etcdRaft().get().consenters();
    List<RaftConsenter> updated = after.etcdRaft().get().consenters();
    MembershipChange change = MembershipChange.between(old, updated);
    if (!change.isSupported()) {
      throw new ConfigUpdateException(
          Reason.CONSENTER_CHANGE,
          PATH
              + ": update of more than one consenter at a time is not supported, requested "
              + change);
    }
    TlsChains chains = tlsChains(next);
    for (int i = 0; i < updated.size(); i++) {
      RaftConsenter c = updated.get(i);
      Optional<Instant> at =
          MembershipChange.containsClientCert(old, c) ? Optional.empty() : Optional.of(now);
      checkCert(chains, PATH + "/consenters[" + i + "] client", c.clientTlsCert(), at);
      checkCert(chains, PATH + "/consenters[" + i + "] server", c.serverTlsCert(), at);
    }
    return change;
  }

  private static void checkCert(TlsChains chains, String where, byte[] pem, Optional<Instant> at) {
    X509Certificate cert;
    try {
      cert = Pem.certificate(pem);
    } catch (Pem.PemException e) {
      throw new ConfigUpdateException(
          Reason.CONSENTER_CHANGE, where + " TLS certificate does not parse", e);
    }
    chains
        .problem(cert, at)
        .ifPresent(
            p -> {
              throw new ConfigUpdateException(
                  Reason.CONSENTER_CHANGE, where + " TLS certificate does not verify: " + p);
            });
  }

  private static TlsChains tlsChains(ChannelConfig next) {
    List<X509Certificate> roots = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    for (OrgConfig org : next.orderer().orgs().values()) {
      org.msp().map(FabricMsp::tlsRootCerts).ifPresent(roots::addAll);
      org.msp().map(FabricMsp::tlsIntermediateCerts).ifPresent(intermediates::addAll);
    }
    return new TlsChains(roots, intermediates);
  }
}
