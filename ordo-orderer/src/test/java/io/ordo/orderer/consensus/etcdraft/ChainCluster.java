package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockSigner;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.OrdererConfig;
import io.ordo.fabric.genesis.GenesisBlocks;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.blockcutter.BlockCutter;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.orderer.msgprocessor.StandardChannel;
import io.ordo.orderer.multichannel.BlockWriter;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;

/**
 * Consenters of one channel in one JVM: real raft storage and ledgers under a temp folder, real
 * signing identities, the in-memory transport, followers forwarding submits by direct call.
 */
final class ChainCluster implements AutoCloseable {
  static final String CHANNEL = "mychannel";
  static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);
  static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  static final TestOrg ORG1 = new TestOrg("Org1MSP");
  static final LocalSigningIdentity CLIENT = ORG1.member("client1", "client");

  final Path dir;
  final List<Long> ids;
  final ChannelConfig config;
  final Block genesis;
  final InMemoryTransport network = new InMemoryTransport();
  final Map<Long, EtcdRaftChain> chains = new ConcurrentHashMap<>();
  final Map<Long, BlockLedger> ledgers = new ConcurrentHashMap<>();
  final Map<Long, LocalSigningIdentity> signers = new ConcurrentHashMap<>();

  /** Per node, the blocks it wrote as made by its own block creator (not parsed from entries). */
  final Map<Long, AtomicInteger> ownBlockWrites = new ConcurrentHashMap<>();

  private final SecureRandom random = new SecureRandom();
  private final Duration tick;
  private final long snapshotIntervalSize;

  /**
   * @param maxMessageCount the channel's BatchSize.max_message_count
   * @param batchTimeout the channel's BatchTimeout
   */
  ChainCluster(
      Path dir,
      int size,
      int maxMessageCount,
      Duration batchTimeout,
      Duration tick,
      long snapshotIntervalSize) {
    this.dir = dir;
    this.tick = tick;
    this.snapshotIntervalSize = snapshotIntervalSize;
    this.ids = LongStream.rangeClosed(1, size).boxed().toList();
    TestChannelConfig tc =
        new TestChannelConfig()
            .ordererOrg(ORDERER_ORG)
            .applicationOrg(ORG1)
            .batchSize(maxMessageCount, 10 * 1024 * 1024, 2 * 1024 * 1024);
    for (long id : ids) {
      byte[] tls = ORDERER_ORG.tls("orderer" + id + ".example.com").certificatePem();
      tc.consenter("orderer" + id + ".example.com", 7050, tls, tls);
      signers.put(id, ORDERER_ORG.member("orderer" + id, "orderer"));
    }
    Config built = tc.build();
    this.config = withBatchTimeout(LOADER.load(built), batchTimeout);
    this.genesis = GenesisBlocks.create(CHANNEL, built.getChannelGroup(), random, TestOrg.NOW);
  }

  /** TestChannelConfig writes Fabric's sample 2 s; tests want a shorter timer. */
  private static ChannelConfig withBatchTimeout(ChannelConfig c, Duration timeout) {
    OrdererConfig o = c.orderer();
    OrdererConfig shorter =
        new OrdererConfig(
            o.consensusType(),
            o.consensusState(),
            o.consensusMetadata(),
            o.etcdRaft(),
            o.batchSize(),
            timeout,
            o.maxChannels(),
            o.capabilities(),
            o.orgs());
    return new ChannelConfig(
        c.config(),
        c.hashingAlgorithm(),
        c.blockDataHashingWidth(),
        c.ordererAddresses(),
        c.capabilities(),
        shorter,
        c.application(),
        c.msps(),
        c.policies());
  }

  /** Starts (or restarts, from what its folders hold) consenter {@code id}. */
  EtcdRaftChain start(long id) {
    return start(id, CatchUp.UNSUPPORTED);
  }

  /**
   * Opens consenter {@code id}'s ledger (writing the genesis block into a new one) and the chain
   * support over it, without a chain; the ledger is closed with the cluster.
   */
  ConsenterSupport openSupport(long id) {
    Path nodeDir = dir.resolve("orderer" + id);
    BlockLedger ledger = BlockLedger.open(nodeDir.resolve("ledger"), LedgerOptions.defaults());
    if (ledger.height() == 0) {
      ledger.append(genesis);
    }
    ledgers.put(id, ledger);
    return new Support(
        ledger, signers.get(id), ownBlockWrites.computeIfAbsent(id, k -> new AtomicInteger()));
  }

  /** As {@link #start(long)}, pulling missing blocks through {@code catchUp}. */
  EtcdRaftChain start(long id, CatchUp catchUp) {
    Path nodeDir = dir.resolve("orderer" + id);
    ConsenterSupport support = openSupport(id);
    Options options =
        new Options(
            id,
            ids,
            nodeDir.resolve("etcdraft").resolve("wal"),
            nodeDir.resolve("etcdraft").resolve("snap"),
            tick,
            10,
            1,
            5,
            2 * 1024 * 1024,
            snapshotIntervalSize);
    EtcdRaftChain chain =
        new EtcdRaftChain(
            ChainDependencies.of(
                support,
                options,
                network.from(id),
                (leader, request) -> {
                  EtcdRaftChain target = chains.get(leader);
                  if (target == null) {
                    throw new IllegalStateException("leader " + leader + " is down");
                  }
                  target.submit(request);
                },
                catchUp));
    chains.put(id, chain);
    network.register(id, chain::step);
    chain.start();
    return chain;
  }

  /** Halts consenter {@code id} and closes its ledger, as a process shutdown would. */
  void stop(long id) {
    network.unregister(id);
    EtcdRaftChain chain = chains.remove(id);
    if (chain != null) {
      chain.halt();
    }
    BlockLedger ledger = ledgers.remove(id);
    if (ledger != null) {
      ledger.close();
    }
  }

  @Override
  public void close() {
    List.copyOf(chains.keySet()).forEach(this::stop);
    List.copyOf(ledgers.values()).forEach(BlockLedger::close);
    ledgers.clear();
  }

  private final class Support implements ConsenterSupport {
    private final BlockLedger ledger;
    private final BlockWriter writer;
    private final BlockCutter cutter;
    private final StandardChannel processor;

    private final AtomicInteger ownWrites;

    Support(BlockLedger ledger, LocalSigningIdentity signer, AtomicInteger ownWrites) {
      this.ledger = ledger;
      this.ownWrites = ownWrites;
      this.writer = new BlockWriter(CHANNEL, ledger, new BlockSigner(signer, random));
      this.cutter = new BlockCutter(() -> config.orderer().batchSize());
      this.processor =
          new StandardChannel(
              CHANNEL,
              () -> config,
              LOADER,
              (cfg, update) -> {
                throw new UnsupportedOperationException("no config updates in these tests");
              },
              signer,
              false,
              Clock.systemUTC(),
              random);
    }

    @Override
    public String channelId() {
      return CHANNEL;
    }

    @Override
    public BlockCutter blockCutter() {
      return cutter;
    }

    @Override
    public ChannelConfig channelConfig() {
      return config;
    }

    @Override
    public StandardChannel processor() {
      return processor;
    }

    @Override
    public long height() {
      return ledger.height();
    }

    @Override
    public Block block(long number) {
      return ledger.block(number);
    }

    @Override
    public void writeBlock(Block block, ByteString consenterMetadata) {
      writer.writeBlock(block, consenterMetadata);
    }

    @Override
    public void writeOwnBlock(Block block, ByteString consenterMetadata) {
      ownWrites.incrementAndGet();
      writer.writeOwnBlock(block, consenterMetadata);
    }

    @Override
    public void writeConfigBlock(Block block, ByteString consenterMetadata) {
      writer.writeConfigBlock(block, consenterMetadata);
    }

    @Override
    public void evicted(long configBlock) {
      throw new IllegalStateException("no eviction check runs in these chains");
    }

    @Override
    public void appendPulledBlocks(java.util.List<Block> blocks) {
      writer.appendPulled(blocks);
    }
  }
}
