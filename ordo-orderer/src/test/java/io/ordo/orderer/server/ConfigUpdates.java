package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigSignatures;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;

/** Config updates of a {@link TestNetwork} channel, signed by the orderer org's admin. */
final class ConfigUpdates {
  private final TestNetwork network;
  private final SecureRandom random = new SecureRandom();

  ConfigUpdates(TestNetwork network) {
    this.network = network;
  }

  LocalSigningIdentity ordererAdmin() {
    return LocalSigningIdentity.load(
        network.userDir("ordererOrganizations", TestNetwork.DOMAIN, "Admin").resolve("msp"),
        "OrdererMSP",
        Ecdsa.preferred());
  }

  /** A CONFIG_UPDATE setting the orderer BatchTimeout, against the config of {@code lastConfig}. */
  Envelope batchTimeout(Block lastConfig, Duration timeout) {
    Config current = ChannelConfigLoader.configOf(lastConfig);
    ConfigGroup orderer = current.getChannelGroup().getGroupsOrThrow("Orderer");
    ConfigValue old = orderer.getValuesOrThrow("BatchTimeout");
    try {
      BatchTimeout.parseFrom(old.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    ConfigValue next =
        old.toBuilder()
            .setVersion(old.getVersion() + 1)
            .setValue(
                BatchTimeout.newBuilder()
                    .setTimeout(timeout.toMillis() + "ms")
                    .build()
                    .toByteString())
            .build();
    long channelVersion = current.getChannelGroup().getVersion();
    ConfigUpdate update =
        ConfigUpdate.newBuilder()
            .setChannelId(CHANNEL)
            .setReadSet(
                ConfigGroup.newBuilder()
                    .setVersion(channelVersion)
                    .putGroups(
                        "Orderer",
                        ConfigGroup.newBuilder().setVersion(orderer.getVersion()).build()))
            .setWriteSet(
                ConfigGroup.newBuilder()
                    .setVersion(channelVersion)
                    .putGroups(
                        "Orderer",
                        ConfigGroup.newBuilder()
                            .setVersion(orderer.getVersion())
                            .putValues("BatchTimeout", next)
                            .build()))
            .build();
    LocalSigningIdentity admin = ordererAdmin();
    ByteString bytes = update.toByteString();
    ConfigUpdateEnvelope envelope =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(bytes)
            .addSignatures(ConfigSignatures.sign(bytes, admin, random))
            .build();
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE, CHANNEL, envelope.toByteString(), admin, random, Instant.now());
  }
}
