package io.ordo.orderer.multichannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.configtx.ConfigSignatures;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.consensus.Consenter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.testing.TestBlocks;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config block is checked against the channel's current config before the config switches. */
class ChainSupportConfigBlockTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final LocalSigningIdentity ORDERER = ORDERER_ORG.member("orderer1", "orderer");
  private static final LocalSigningIdentity ADMIN = ORDERER_ORG.member("Admin", "admin");
  private static final LocalSigningIdentity CLIENT = ORG1.member("User1", "client");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final List<ChannelConfig> told = new CopyOnWriteArrayList<>();
  private BlockLedger ledger;
  private ChainSupport support;
  private Block genesis;

  @BeforeEach
  void open() {
    byte[] tls = ORDERER_ORG.tls("orderer1.example.com").certificatePem();
    Config config =
        new TestChannelConfig()
            .ordererOrg(ORDERER_ORG)
            .applicationOrg(ORG1)
            .consenter("orderer1.example.com", 7050, tls, tls)
            .batchSize(10, 32 * 1024, 16 * 1024)
            .sequence(0)
            .build();
    genesis = TestBlocks.genesis(CHANNEL, config);
    ledger = BlockLedger.open(dir.resolve("ledger"), LedgerOptions.defaults());
    ledger.append(genesis);
    support =
        new ChainSupport(
            CHANNEL,
            ledger,
            new ChannelResources(LOADER, ORDERER, random, Clock.systemUTC(), false),
            new IdleConsenter(),
            nanos -> {},
            new ChainSupport.ConfigListener() {
              @Override
              public void configChanged(String channel, ChannelConfig next) {
                told.add(next);
              }

              @Override
              public void evicted(String channel, long configBlock) {}
            });
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  @Test
  void aConfigBlockMadeFromAValidUpdateSwitchesEveryReaderToTheNewConfig() {
    Envelope config = support.processor().processConfigUpdateMsg(batchSizeUpdate(500)).config();

    support.writeConfigBlock(
        TestBlocks.after(genesis, List.of(config.toByteString())), ByteString.EMPTY);

    assertThat(ledger.height()).isEqualTo(2);
    assertThat(support.channelConfig().sequence()).isEqualTo(1);
    assertThat(support.channelConfig().orderer().batchSize().maxMessageCount()).isEqualTo(500);
    assertThat(support.config()).isSameAs(support.channelConfig());
    assertThat(told).singleElement().isSameAs(support.channelConfig());
  }

  @Test
  void aConfigBlockThatSkipsASequenceIsNotWritten() throws Exception {
    Envelope config = support.processor().processConfigUpdateMsg(batchSizeUpdate(500)).config();
    Envelope skipping = reSigned(config, c -> c.toBuilder().setSequence(2).build());

    assertThatThrownBy(
            () ->
                support.writeConfigBlock(
                    TestBlocks.after(genesis, List.of(skipping.toByteString())), ByteString.EMPTY))
        .isInstanceOf(BlockWriteException.class)
        .hasMessageContaining("has sequence 2, expected 1");
    assertUnchanged();
  }

  @Test
  void aConfigBlockWhoseConfigItsLastUpdateDoesNotProduceIsNotWritten() throws Exception {
    Envelope config = support.processor().processConfigUpdateMsg(batchSizeUpdate(500)).config();
    Envelope forged =
        reSigned(
            config,
            c -> {
              ConfigGroup.Builder channel = c.getChannelGroup().toBuilder();
              ConfigGroup.Builder orderer = channel.getGroupsOrThrow("Orderer").toBuilder();
              ConfigValue bs = orderer.getValuesOrThrow("BatchSize");
              orderer.putValues(
                  "BatchSize", bs.toBuilder().setValue(batchSize(bs.getValue(), 999)).build());
              channel.putGroups("Orderer", orderer.build());
              return c.toBuilder().setChannelGroup(channel).build();
            });

    assertThatThrownBy(
            () ->
                support.writeConfigBlock(
                    TestBlocks.after(genesis, List.of(forged.toByteString())), ByteString.EMPTY))
        .isInstanceOf(BlockWriteException.class)
        .hasMessageContaining("holds a config its last_update does not produce");
    assertUnchanged();
  }

  private void assertUnchanged() {
    assertThat(ledger.height()).isEqualTo(1);
    assertThat(support.channelConfig().sequence()).isZero();
    assertThat(support.channelConfig().orderer().batchSize().maxMessageCount()).isEqualTo(10);
    assertThat(told).isEmpty();
  }

  /** The CONFIG envelope with its config edited, signed again by the orderer. */
  private Envelope reSigned(Envelope config, UnaryOperator<Config> edit) throws Exception {
    ConfigEnvelope ce = ConfigEnvelope.parseFrom(Payload.parseFrom(config.getPayload()).getData());
    return Envelopes.signed(
        HeaderType.CONFIG,
        CHANNEL,
        ce.toBuilder().setConfig(edit.apply(ce.getConfig())).build().toByteString(),
        ORDERER,
        random,
        TestOrg.NOW);
  }

  private Envelope batchSizeUpdate(int maxCount) {
    ConfigGroup channel = support.channelConfig().config().getChannelGroup();
    ConfigGroup orderer = channel.getGroupsOrThrow("Orderer");
    ConfigValue old = orderer.getValuesOrThrow("BatchSize");
    ConfigUpdate update =
        ConfigUpdate.newBuilder()
            .setChannelId(CHANNEL)
            .setReadSet(
                ConfigGroup.newBuilder()
                    .setVersion(channel.getVersion())
                    .putGroups(
                        "Orderer",
                        ConfigGroup.newBuilder().setVersion(orderer.getVersion()).build()))
            .setWriteSet(
                ConfigGroup.newBuilder()
                    .setVersion(channel.getVersion())
                    .putGroups(
                        "Orderer",
                        ConfigGroup.newBuilder()
                            .setVersion(orderer.getVersion())
                            .putValues(
                                "BatchSize",
                                old.toBuilder()
                                    .setVersion(old.getVersion() + 1)
                                    .setValue(batchSize(old.getValue(), maxCount))
                                    .build())
                            .build()))
            .build();
    ByteString bytes = update.toByteString();
    ConfigUpdateEnvelope cue =
        ConfigUpdateEnvelope.newBuilder()
            .setConfigUpdate(bytes)
            .addSignatures(ConfigSignatures.sign(bytes, ADMIN, random))
            .build();
    return Envelopes.signed(
        HeaderType.CONFIG_UPDATE, CHANNEL, cue.toByteString(), CLIENT, random, TestOrg.NOW);
  }

  private static ByteString batchSize(ByteString old, int maxCount) {
    try {
      return BatchSize.parseFrom(old).toBuilder()
          .setMaxMessageCount(maxCount)
          .build()
          .toByteString();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** A consenter whose chains never order anything: these tests write blocks themselves. */
  private static final class IdleConsenter implements Consenter {
    @Override
    public Chain handleChain(ConsenterSupport support) {
      return new Chain() {
        @Override
        public CompletableFuture<Void> order(Envelope env, long configSeq) {
          return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> configure(Envelope config, long configSeq) {
          return new CompletableFuture<>();
        }

        @Override
        public void waitReady() {}

        @Override
        public CompletableFuture<Void> errored() {
          return new CompletableFuture<>();
        }

        @Override
        public void start() {}

        @Override
        public void halt() {}
      };
    }

    @Override
    public void deleteChannelState(String channelId) {}

    @Override
    public java.util.Optional<java.nio.file.Path> channelState(String channelId) {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Set<String> channelsWithState() {
      return java.util.Set.of();
    }

    @Override
    public boolean isConsenter(ChannelConfig config) {
      return true;
    }
  }
}
