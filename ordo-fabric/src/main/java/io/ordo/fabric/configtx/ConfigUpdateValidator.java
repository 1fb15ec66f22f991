package io.ordo.fabric.configtx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.configtx.ConfigElement.Kind;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyManager;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Validates CONFIG_UPDATE envelopes against one channel config, as Fabric's configtx validator and
 * the etcdraft orderer do, and computes the next config.
 */
public final class ConfigUpdateValidator {
  private static final String ROOT = "Channel";

  private final String channelId;
  private final ChannelConfig current;
  private final Map<String, ConfigElement> currentMap;
  private final ChannelConfigLoader loader;

  public ConfigUpdateValidator(
      String channelId, ChannelConfig current, ChannelConfigLoader loader) {
    this.channelId = channelId;
    this.current = current;
    this.currentMap = ConfigMap.of(current.config().getChannelGroup(), ROOT);
    this.loader = loader;
  }

  /**
   * Validates a CONFIG_UPDATE envelope and computes the config it leads to.
   *
   * @param now the time at which added consenters' certificates must be valid
   * @throws ConfigUpdateException naming the broken rule
   */
  public ProposedConfig propose(Envelope configUpdate, Instant now) {
    ConfigUpdateEnvelope updateEnvelope = updateEnvelopeOf(configUpdate);
    ConfigUpdate update;
    try {
      update = ConfigUpdate.parseFrom(updateEnvelope.getConfigUpdate());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(
          Reason.MALFORMED, "channel " + channelId + ": ConfigUpdate does not decode", e);
    }
    if (!update.getChannelId().equals(channelId)) {
      throw new ConfigUpdateException(
          Reason.WRONG_CHANNEL,
          "ConfigUpdate for channel '"
              + update.getChannelId()
              + "' but envelope for channel '"
              + channelId
              + "'");
    }
    Map<String, ConfigElement> readSet = ConfigMap.of(update.getReadSet(), ROOT);
    verifyReadSet(readSet);
    Map<String, ConfigElement> writeSet = ConfigMap.of(update.getWriteSet(), ROOT);
    Map<String, ConfigElement> delta = deltaSet(readSet, writeSet);
    verifyDelta(delta, ConfigSignatures.signedData(updateEnvelope));

    Map<String, ConfigElement> next = new TreeMap<>(currentMap);
    next.putAll(delta);
    ConfigGroup channelGroup = ConfigMap.toGroup(next, ROOT);
    Config nextConfig =
        Config.newBuilder()
            .setSequence(current.sequence() + 1)
            .setChannelGroup(channelGroup)
            .build();
    ChannelConfig nextView;
    try {
      nextView = loader.load(nextConfig);
    } catch (ConfigException e) {
      throw new ConfigUpdateException(
          Reason.INVALID_CONFIG,
          "channel " + channelId + ": the updated config is not valid: " + e.getMessage(),
          e);
    }
    MembershipChange change = EtcdRaftUpdateRules.check(current, nextView, now);
    return new ProposedConfig(
        ConfigEnvelope.newBuilder().setConfig(nextConfig).setLastUpdate(configUpdate).build(),
        nextView,
        change);
  }

  /**
   * The CONFIG envelope an orderer orders for a validated update: type CONFIG, epoch 0, no tx id,
   * signed by the orderer's identity with a fresh nonce.
   */
  public Envelope wrap(ProposedConfig proposed, Signer orderer, SecureRandom random, Instant now) {
    return Envelopes.signed(
        HeaderType.CONFIG,
        channelId,
        proposed.configEnvelope().toByteString(),
        orderer,
        random,
        now);
  }

  private ConfigUpdateEnvelope updateEnvelopeOf(Envelope env) {
    try {
      Payload payload = Payload.parseFrom(env.getPayload());
      ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      if (ch.getType() != HeaderType.CONFIG_UPDATE_VALUE) {
        throw new ConfigUpdateException(
            Reason.WRONG_CHANNEL,
            "channel "
                + channelId
                + ": not a tx of type CONFIG_UPDATE (type "
                + ch.getType()
                + ")");
      }
      return ConfigUpdateEnvelope.parseFrom(payload.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigUpdateException(
          Reason.MALFORMED, "channel " + channelId + ": CONFIG_UPDATE envelope does not decode", e);
    }
  }

  private void verifyReadSet(Map<String, ConfigElement> readSet) {
    for (ConfigElement read : readSet.values()) {
      ConfigElement existing = currentMap.get(read.key());
      if (existing == null) {
        throw new ConfigUpdateException(
            Reason.STALE_READ_SET,
            "channel "
                + channelId
                + ": existing config does not contain element for "
                + read.key()
                + " but was in the read set");
      }
      if (existing.version() != read.version()) {
        throw new ConfigUpdateException(
            Reason.STALE_READ_SET,
            "channel "
                + channelId
                + ": proposed update requires that key "
                + read.key()
                + " be at version "
                + read.version()
                + ", but it is currently at version "
                + existing.version());
      }
    }
  }

  static Map<String, ConfigElement> deltaSet(
      Map<String, ConfigElement> readSet, Map<String, ConfigElement> writeSet) {
    Map<String, ConfigElement> delta = new TreeMap<>();
    for (ConfigElement written : writeSet.values()) {
      ConfigElement read = readSet.get(written.key());
      if (read == null || read.version() != written.version()) {
        delta.put(written.key(), written);
      }
    }
    return delta;
  }

  private void verifyDelta(Map<String, ConfigElement> delta, List<SignedData> signatures) {
    if (delta.isEmpty()) {
      throw new ConfigUpdateException(
          Reason.EMPTY_DELTA,
          "channel " + channelId + ": delta set was empty -- update would have no effect");
    }
    for (ConfigElement change : delta.values()) {
      checkModPolicy(change);
      ConfigElement existing = currentMap.get(change.key());
      if (existing == null) {
        if (change.version() != 0) {
          throw new ConfigUpdateException(
              Reason.BAD_VERSION,
              "channel "
                  + channelId
                  + ": attempted to set key "
                  + change.key()
                  + " to version "
                  + change.version()
                  + ", but key does not exist");
        }
        continue;
      }
      if (change.version() != existing.version() + 1) {
        throw new ConfigUpdateException(
            Reason.BAD_VERSION,
            "channel "
                + channelId
                + ": attempt to set key "
                + change.key()
                + " to version "
                + change.version()
                + ", but key is at version "
                + existing.version());
      }
      Policy policy =
          policyFor(existing)
              .orElseThrow(
                  () ->
                      new ConfigUpdateException(
                          Reason.POLICY_NOT_SATISFIED,
                          "channel "
                              + channelId
                              + ": unexpected missing policy "
                              + existing.modPolicy()
                              + " for item "
                              + change.key()));
      try {
        policy.evaluate(signatures);
      } catch (PolicyNotSatisfiedException e) {
        throw new ConfigUpdateException(
            Reason.POLICY_NOT_SATISFIED,
            "channel "
                + channelId
                + ": policy "
                + existing.modPolicy()
                + " for "
                + change.key()
                + " not satisfied: "
                + e.getMessage(),
            e);
      }
    }
  }

  private void checkModPolicy(ConfigElement e) {
    String modPolicy = e.modPolicy();
    if (modPolicy.isEmpty()) {
      throw new ConfigUpdateException(
          Reason.INVALID_NAME, "channel " + channelId + ": mod_policy not set for " + e.key());
    }
    String trimmed = modPolicy.startsWith("/") ? modPolicy.substring(1) : modPolicy;
    for (String part : trimmed.split("/", -1)) {
      ConfigMap.checkId(part, "mod_policy " + modPolicy + " of " + e.key());
    }
  }

  /**
   * The absolute path of an element's mod_policy, resolved as {@link #policyFor} resolves it: a
   * relative one in the element's own group ({@code /Channel/Orderer/Admins} for the Admins of
   * /Channel/Orderer/BatchSize).
   */
  static String policyPath(ConfigElement existing) {
    String modPolicy = existing.modPolicy();
    if (modPolicy.startsWith("/")) {
      return modPolicy;
    }
    List<String> groupPath = new ArrayList<>(existing.parentPath());
    if (existing.kind() == Kind.GROUP) {
      groupPath.add(existing.name());
    }
    if (groupPath.isEmpty()) {
      groupPath.add(existing.name());
    }
    return "/" + String.join("/", groupPath) + "/" + modPolicy;
  }

  /** Fabric's policyForItem: a relative mod_policy is resolved in the element's own group. */
  private Optional<Policy> policyFor(ConfigElement existing) {
    PolicyManager root = current.policies();
    String modPolicy = existing.modPolicy();
    if (modPolicy.startsWith("/") || existing.parentPath().isEmpty()) {
      return root.find(modPolicy);
    }
    List<String> groupPath =
        new ArrayList<>(existing.parentPath().subList(1, existing.parentPath().size()));
    if (existing.kind() == Kind.GROUP) {
      groupPath.add(existing.name());
    }
    return root.manager(String.join("/", groupPath)).flatMap(m -> m.find(modPolicy));
  }
}
