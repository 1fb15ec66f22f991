package io.ordo.orderer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.configtx.ConfigSignatures;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;

/**
 * CONFIG_UPDATE envelopes that change one value of {@code /Channel/Orderer}, and the value changes
 * the cluster tests make (batch size, etcdraft consenters).
 */
public final class OrdererConfigUpdates {
  private OrdererConfigUpdates() {}

  /**
   * The update replacing the value {@code name} of /Channel/Orderer in {@code current}, its new
   * bytes made by {@code change} from the current ones.
   */
  public static ConfigUpdate ordererValue(
      String channelId, Config current, String name, UnaryOperator<ByteString> change) {
    ConfigGroup channel = current.getChannelGroup();
    ConfigGroup orderer = channel.getGroupsOrThrow("Orderer");
    ConfigValue old = orderer.getValuesOrThrow(name);
    // the value is read at the version it was changed from: a stale update fails on it
    ConfigGroup read =
        ConfigGroup.newBuilder()
            .setVersion(orderer.getVersion())
            .putValues(name, ConfigValue.newBuilder().setVersion(old.getVersion()).build())
            .build();
    ConfigGroup write =
        ConfigGroup.newBuilder()
            .setVersion(orderer.getVersion())
            .putValues(
                name,
                old.toBuilder()
                    .setVersion(old.getVersion() + 1)
                    .setValue(change.apply(old.getValue()))
                    .build())
            .build();
    return ConfigUpdate.newBuilder()
        .setChannelId(channelId)
        .setReadSet(
            ConfigGroup.newBuilder().setVersion(channel.getVersion()).putGroups("Orderer", read))
        .setWriteSet(
            ConfigGroup.newBuilder().setVersion(channel.getVersion()).putGroups("Orderer", write))
        .build();
  }

  /** The CONFIG_UPDATE envelope of {@code update}, its config signature by {@code signer}. */
  public static Envelope signed(
      ConfigUpdate update,
      LocalSigningIdentity signer,
      LocalSigningIdentity submitter,
      SecureRandom random) {
    ByteString bytes = update.toByteString();
    ConfigUpdateEnvelope cue =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(bytes)
            .addSignatures(ConfigSignatures.sign(bytes, signer, random))
            .build();
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE,
        update.getChannelId(),
        cue.toByteString(),
        submitter,
        random,
        Instant.now());
  }

  /** A BatchSize change setting MaxMessageCount. */
  public static UnaryOperator<ByteString> maxMessageCount(int count) {
    return old -> {
      try {
        return BatchSize.parseFrom(old).toBuilder()
            .setMaxMessageCount(count)
            .build()
            .toByteString();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("BatchSize does not decode", e);
      }
    };
  }

  /** A ConsensusType change that edits its etcdraft metadata. */
  public static UnaryOperator<ByteString> raftMetadata(UnaryOperator<ConfigMetadata.Builder> edit) {
    return old -> {
      try {
        ConsensusType type = ConsensusType.parseFrom(old);
        ConfigMetadata m = ConfigMetadata.parseFrom(type.getMetadata());
        return type.toBuilder()
            .setMetadata(edit.apply(m.toBuilder()).build().toByteString())
            .build()
            .toByteString();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("ConsensusType does not decode", e);
      }
    };
  }

  /** An etcdraft metadata edit adding {@code consenter}. */
  public static UnaryOperator<ConfigMetadata.Builder> adding(Consenter consenter) {
    return m -> m.addConsenters(consenter);
  }

  /** An etcdraft metadata edit removing the consenter whose client TLS cert is {@code cert}. */
  public static UnaryOperator<ConfigMetadata.Builder> removing(ByteString cert) {
    return m -> {
      List<Consenter> kept =
          m.getConsentersList().stream().filter(c -> !c.getClientTlsCert().equals(cert)).toList();
      return m.clearConsenters().addAllConsenters(kept);
    };
  }

  /** A loopback consenter using one certificate as client and server TLS certificate. */
  public static Consenter consenter(int clusterPort, ByteString tlsCert) {
    return Consenter.newBuilder()
        .setHost("127.0.0.1")
        .setPort(clusterPort)
        .setClientTlsCert(tlsCert)
        .setServerTlsCert(tlsCert)
        .build();
  }
}
