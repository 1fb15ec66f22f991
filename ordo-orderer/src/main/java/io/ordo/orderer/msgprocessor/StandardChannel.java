package io.ordo.orderer.msgprocessor;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * The message processor of an application channel (Fabric's msgprocessor.StandardChannel): checks
 * normal envelopes with the standard filters (empty, size, expiration, signature) and turns
 * CONFIG_UPDATE envelopes into CONFIG envelopes signed by this orderer. Each check runs against one
 * snapshot of the channel config and returns that config's sequence, which travels with the
 * envelope so that the leader can re-check it if the config moved on.
 *
 * <p>Thread-safe as long as the config supplier is; Broadcast calls it from many streams.
 */
public final class StandardChannel {
  private static final Set<String> MIGRATION_CAPABILITIES = Set.of("V1_4_2", "V2_0");

  private final String channelId;
  private final Supplier<ChannelConfig> currentConfig;
  private final ChannelConfigLoader loader;
  private final ConfigUpdateProposer proposer;
  private final Signer signer;
  private final Clock clock;
  private final SecureRandom random;
  private final List<Rule> filters;

  /**
   * @param currentConfig the channel's current config, replaced after each config block
   * @param signer this orderer's signing identity (signs the CONFIG envelopes it makes)
   * @param noExpirationChecks General.Authentication.NoExpirationChecks
   */
  public StandardChannel(
      String channelId,
      Supplier<ChannelConfig> currentConfig,
      ChannelConfigLoader loader,
      ConfigUpdateProposer proposer,
      Signer signer,
      boolean noExpirationChecks,
      Clock clock,
      SecureRandom random) {
    this.channelId = channelId;
    this.currentConfig = currentConfig;
    this.loader = loader;
    this.proposer = proposer;
    this.signer = signer;
    this.clock = clock;
    this.random = random;
    this.filters = filters(noExpirationChecks, clock);
  }

  /** The same filters check normal, config update and config envelopes. */
  private static List<Rule> filters(boolean noExpirationChecks, Clock clock) {
    List<Rule> rules = new ArrayList<>();
    rules.add(new EmptyRejectRule());
    rules.add(new SizeRule());
    if (!noExpirationChecks) {
      rules.add(new ExpirationRule(clock));
    }
    rules.add(new SigFilter(SigFilter.CHANNEL_WRITERS, SigFilter.ORDERER_WRITERS));
    return List.copyOf(rules);
  }

  public String channelId() {
    return channelId;
  }

  public MessageClass classify(ChannelHeader header) {
    return MessageClass.of(header);
  }

  /** The sequence of the current config. */
  public long configSequence() {
    return currentConfig.get().sequence();
  }

  /**
   * Fabric's ProcessNormalMsg.
   *
   * @return the config sequence the envelope was checked against
   * @throws MessageRejectedException when a filter refuses it
   */
  public long processNormalMsg(Envelope envelope) {
    return processNormalMsg(new CheckedEnvelope(envelope));
  }

  /** As {@link #processNormalMsg(Envelope)}, reusing what the caller already decoded. */
  public long processNormalMsg(CheckedEnvelope envelope) {
    ChannelConfig config = currentConfig.get();
    if (supportsMigration(config)
        && config.orderer().consensusState() != ConsensusType.State.STATE_NORMAL) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.MAINTENANCE_MODE,
          "normal transactions are rejected: maintenance mode");
    }
    apply(filters, config, envelope);
    return config.sequence();
  }

  /**
   * Fabric's ProcessConfigUpdateMsg: filters the CONFIG_UPDATE envelope, computes the next config,
   * wraps it in a CONFIG envelope signed by this orderer, and filters that again.
   */
  public ConfigMessage processConfigUpdateMsg(Envelope configUpdate) {
    ChannelConfig config = currentConfig.get();
    apply(filters, config, new CheckedEnvelope(configUpdate));
    Config next;
    try {
      next = proposer.propose(config, configUpdate);
    } catch (MessageRejectedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "config update for existing channel did not pass initial checks: " + e.getMessage(),
          e);
    }
    if (next.getSequence() != config.sequence() + 1) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "proposed config has sequence "
              + next.getSequence()
              + ", expected "
              + (config.sequence() + 1));
    }
    ChannelConfig nextView;
    try {
      nextView = loader.load(next);
    } catch (ConfigException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "config update for existing channel did not pass initial checks: " + e.getMessage(),
          e);
    }
    Envelope configEnvelope =
        Envelopes.signed(
            HeaderType.CONFIG,
            channelId,
            ConfigEnvelope.newBuilder()
                .setConfig(next)
                .setLastUpdate(configUpdate)
                .build()
                .toByteString(),
            signer,
            random,
            clock.instant());
    try {
      apply(filters, config, new CheckedEnvelope(configEnvelope));
    } catch (MessageRejectedException e) {
      throw new MessageRejectedException(
          e.reason(), "config envelope made by this orderer was refused: " + e.getMessage(), e);
    }
    MaintenanceFilter.check(config.orderer(), nextView.orderer());
    return new ConfigMessage(configEnvelope, config.sequence());
  }

  /**
   * Fabric's ProcessConfigMsg: re-runs {@link #processConfigUpdateMsg} on the CONFIG envelope's
   * last_update, for a config envelope validated against an older sequence.
   */
  public ConfigMessage processConfigMsg(Envelope configEnvelope) {
    Envelope lastUpdate;
    try {
      Payload payload = Payload.parseFrom(configEnvelope.getPayload());
      ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      if (header.getType() != HeaderType.CONFIG_VALUE) {
        throw bad("not a CONFIG envelope: header type " + header.getType());
      }
      ConfigEnvelope ce = ConfigEnvelope.parseFrom(payload.getData());
      if (!ce.hasLastUpdate()) {
        throw bad("config envelope has no last_update");
      }
      lastUpdate = ce.getLastUpdate();
    } catch (InvalidProtocolBufferException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "config envelope does not decode: " + e.getMessage(),
          e);
    }
    return processConfigUpdateMsg(lastUpdate);
  }

  /**
   * The leader's re-validation of a normal envelope checked by some node at {@code
   * lastValidationSeq}: nothing to do when the config has not moved on, else the filters run again.
   *
   * @return the sequence it is now valid at
   * @throws MessageRejectedException when it no longer passes (the envelope is dropped)
   */
  public long revalidateNormal(Envelope envelope, long lastValidationSeq) {
    long seq = configSequence();
    return lastValidationSeq < seq ? processNormalMsg(envelope) : lastValidationSeq;
  }

  /**
   * The leader's re-validation of a CONFIG envelope: kept as is when the config has not moved on,
   * else rebuilt from its last_update against the current config.
   */
  public ConfigMessage revalidateConfig(Envelope configEnvelope, long lastValidationSeq) {
    long seq = configSequence();
    return lastValidationSeq < seq
        ? processConfigMsg(configEnvelope)
        : new ConfigMessage(configEnvelope, lastValidationSeq);
  }

  private static boolean supportsMigration(ChannelConfig config) {
    return config.orderer().capabilities().stream().anyMatch(MIGRATION_CAPABILITIES::contains);
  }

  private static void apply(List<Rule> rules, ChannelConfig config, CheckedEnvelope envelope) {
    for (Rule rule : rules) {
      rule.apply(config, envelope);
    }
  }

  private static MessageRejectedException bad(String message) {
    return new MessageRejectedException(MessageRejectedException.Reason.BAD_REQUEST, message);
  }
}
