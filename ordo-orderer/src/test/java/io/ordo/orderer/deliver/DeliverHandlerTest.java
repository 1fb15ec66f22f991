package io.ordo.orderer.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.broadcast.AtomicBroadcastService;
import io.ordo.orderer.broadcast.BroadcastHandler;
import io.ordo.orderer.broadcast.BroadcastMetrics;
import io.ordo.orderer.broadcast.BroadcastOptions;
import io.ordo.orderer.testing.Loopback;
import io.ordo.orderer.testing.TestBlocks;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import io.ordo.storage.ledger.BlockLedger;
import io.ordo.storage.ledger.LedgerOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekContentType;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekErrorResponse;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekNextCommit;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliverHandlerTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final TestOrg STRANGER_ORG = new TestOrg("Org9MSP");
  private static final TestOrg.TlsIdentity TLS = ORDERER_ORG.tls("orderer1.example.com");
  private static final LocalSigningIdentity CLIENT = ORG1.member("User1", "client");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final SeekPosition OLDEST =
      SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
  private static final SeekPosition NEWEST =
      SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
  private static final SeekPosition NEXT_COMMIT =
      SeekPosition.newBuilder().setNextCommit(SeekNextCommit.getDefaultInstance()).build();

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicReference<ChannelConfig> config =
      new AtomicReference<>(LOADER.load(config(ORG1, 0).build()));
  private final AtomicReference<CompletableFuture<Void>> errored =
      new AtomicReference<>(new CompletableFuture<>());
  private final java.util.Map<String, String> unavailable =
      new java.util.concurrent.ConcurrentHashMap<>();
  private BlockLedger ledger;
  private Block last;
  private DeliverHandler deliver;
  private BroadcastHandler broadcast;
  private Loopback loopback;

  private static TestChannelConfig config(TestOrg appOrg, long seq) {
    return new TestChannelConfig()
        .ordererOrg(ORDERER_ORG)
        .applicationOrg(appOrg)
        .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
        .sequence(seq);
  }

  private final DeliverSupport support =
      new DeliverSupport() {
        @Override
        public BlockLedger ledger() {
          return ledger;
        }

        @Override
        public ChannelConfig config() {
          return config.get();
        }

        @Override
        public CompletableFuture<Void> errored() {
          return errored.get();
        }
      };

  @BeforeEach
  void start() {
    ledger = BlockLedger.open(dir.resolve("ledger"), LedgerOptions.defaults());
    last = TestBlocks.genesis(CHANNEL, config.get().config());
    ledger.append(last);
    appendBlocks(4, 100); // blocks 1..4
    DeliverChannels channels =
        new DeliverChannels() {
          @Override
          public Optional<DeliverSupport> channel(String id) {
            return id.equals(CHANNEL) ? Optional.of(support) : Optional.empty();
          }

          @Override
          public Optional<String> unavailable(String id) {
            return Optional.ofNullable(unavailable.get(id));
          }
        };
    deliver =
        new DeliverHandler(
            channels,
            new DeliverOptions(Duration.ofMinutes(15), false, false, Clock.systemUTC()),
            new DeliverMetrics(registry));
    broadcast =
        new BroadcastHandler(
            id -> Optional.empty(), BroadcastOptions.defaults(), new BroadcastMetrics(registry));
    loopback = new Loopback(new AtomicBroadcastService(broadcast, deliver::handle).definition());
  }

  @AfterEach
  void stop() throws Exception {
    loopback.close();
    deliver.close();
    broadcast.close();
    ledger.close();
  }

  private void appendBlocks(int count, int envelopeBytes) {
    for (int i = 0; i < count; i++) {
      last =
          TestBlocks.after(
              last,
              List.of(ByteString.copyFrom(new byte[envelopeBytes]), ByteString.copyFromUtf8("tx")));
      ledger.append(last);
    }
  }

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  private Envelope seek(SeekPosition start, SeekPosition stop) {
    return seek(SeekInfo.newBuilder().setStart(start).setStop(stop).build(), CLIENT);
  }

  private Envelope seek(SeekInfo info, Signer signer) {
    return Envelopes.signed(
        HeaderType.DELIVER_SEEK_INFO, CHANNEL, info.toByteString(), signer, random, Instant.now());
  }

  /** A client with manual inbound flow control: takes {@code initial} messages, then on demand. */
  private static final class Client implements ClientResponseObserver<Envelope, DeliverResponse> {
    final List<DeliverResponse> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final int initial;
    ClientCallStreamObserver<Envelope> requests;

    Client(int initial) {
      this.initial = initial;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> stream) {
      this.requests = stream;
      if (initial != Integer.MAX_VALUE) {
        stream.disableAutoRequestWithInitial(initial);
      }
    }

    @Override
    public void onNext(DeliverResponse r) {
      received.add(r);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    List<Long> blockNumbers() {
      return received.stream()
          .filter(DeliverResponse::hasBlock)
          .map(r -> r.getBlock().getHeader().getNumber())
          .toList();
    }

    List<Status> statuses() {
      return received.stream()
          .filter(r -> r.getTypeCase() == DeliverResponse.TypeCase.STATUS)
          .map(DeliverResponse::getStatus)
          .toList();
    }
  }

  private Client open() {
    return open(Integer.MAX_VALUE);
  }

  private Client open(int initial) {
    Client c = new Client(initial);
    AtomicBroadcastGrpc.newStub(loopback.channel).deliver(c);
    return c;
  }

  /** One request, then half-close; waits for the stream's end. */
  private Client exchange(Envelope request) throws Exception {
    Client c = open();
    c.requests.onNext(request);
    c.requests.onCompleted();
    c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return c;
  }

  @Test
  void aPrunedBlockIsNotFoundAndTheTrailersSayFromWhichBlockTheNodeHoldsTheChannel()
      throws Exception {
    ledger.close();
    ledger = BlockLedger.open(dir.resolve("pruned"), LedgerOptions.defaults().withFileBytes(2048));
    last = TestBlocks.genesis(CHANNEL, config.get().config());
    ledger.append(last);
    appendBlocks(30, 300);
    long first = ledger.prune(20).first();
    assertThat(first).isPositive();
    for (SeekPosition start : List.of(OLDEST, specified(0), specified(first - 1))) {
      AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
      Client c = new Client(Integer.MAX_VALUE);
      AtomicBroadcastGrpc.newStub(loopback.channel)
          .withInterceptors(
              io.grpc.stub.MetadataUtils.newCaptureMetadataInterceptor(
                  new AtomicReference<>(), trailers))
          .deliver(c);
      c.requests.onNext(seek(start, NEWEST));
      c.requests.onCompleted();
      c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(c.blockNumbers()).isEmpty();
      assertThat(c.statuses()).containsExactly(Status.NOT_FOUND);
      assertThat(trailers.get().get(PrunedBlocks.FIRST_BLOCK)).isEqualTo(Long.toString(first));
      assertThat(trailers.get().get(PrunedBlocks.INFO))
          .startsWith("cannot serve block [")
          .contains("holds the channel's blocks from [" + first + "] on")
          .contains("prunes its ledger");
    }
    // from the first block held on, blocks are served as ever
    assertThat(exchange(seek(specified(first), specified(first + 2))).blockNumbers())
        .containsExactly(first, first + 1, first + 2);
  }

  @Test
  void oldestToSpecifiedSendsThoseBlocksThenSuccessAndTheStreamTakesAnotherRequest()
      throws Exception {
    Client c = open();
    c.requests.onNext(seek(OLDEST, specified(2)));
    await().atMost(TIMEOUT).until(() -> c.statuses().size() == 1);
    assertThat(c.blockNumbers()).containsExactly(0L, 1L, 2L);
    assertThat(c.statuses()).containsExactly(Status.SUCCESS);
    c.requests.onNext(seek(NEWEST, NEWEST));
    c.requests.onCompleted();
    c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(c.blockNumbers()).containsExactly(0L, 1L, 2L, 4L);
    assertThat(c.statuses()).containsExactly(Status.SUCCESS, Status.SUCCESS);
  }

  @Test
  void specifiedStartWithOldestStopSendsOneBlockAndNewestStopSendsUpToTheHeight() throws Exception {
    assertThat(exchange(seek(specified(3), OLDEST)).blockNumbers()).containsExactly(3L);
    Client c = exchange(seek(specified(2), NEWEST));
    assertThat(c.blockNumbers()).containsExactly(2L, 3L, 4L);
    assertThat(c.statuses()).containsExactly(Status.SUCCESS);
  }

  @Test
  void failIfNotReadyBeyondTheLastBlockIsNotFound() throws Exception {
    SeekInfo info =
        SeekInfo.newBuilder()
            .setStart(specified(3))
            .setStop(specified(9))
            .setBehavior(SeekBehavior.FAIL_IF_NOT_READY)
            .build();
    Client c = exchange(seek(info, CLIENT));
    assertThat(c.blockNumbers()).containsExactly(3L, 4L);
    assertThat(c.statuses()).containsExactly(Status.NOT_FOUND);
  }

  @Test
  void aStartBeyondTheHeightIsNotFoundEvenWhenBlockingUntilReady() throws Exception {
    Client c = exchange(seek(specified(6), specified(7)));
    assertThat(c.blockNumbers()).isEmpty();
    assertThat(c.statuses()).containsExactly(Status.NOT_FOUND);
  }

  @Test
  void nextCommitWaitsWithoutAThreadAndDeliversTheNextBlockWhenWritten() throws Exception {
    Client c = open();
    c.requests.onNext(seek(NEXT_COMMIT, specified(5)));
    await().atMost(TIMEOUT).until(() -> ledger.waitingReaders() == 1);
    assertThat(c.received).isEmpty();
    appendBlocks(1, 10);
    c.requests.onCompleted();
    c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(c.blockNumbers()).containsExactly(5L);
    assertThat(c.statuses()).containsExactly(Status.SUCCESS);
  }

  @Test
  void aClientLeavingWhileWaitingReleasesItsLedgerWaiter() {
    Client c = open();
    c.requests.onNext(seek(NEXT_COMMIT, specified(9)));
    await().atMost(TIMEOUT).until(() -> ledger.waitingReaders() == 1);
    c.requests.cancel("client gone", null);
    await().atMost(TIMEOUT).until(() -> ledger.waitingReaders() == 0);
  }

  @Test
  void anUnknownChannelIsNotFound() throws Exception {
    Envelope env =
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            "otherchannel",
            SeekInfo.newBuilder().setStart(OLDEST).setStop(OLDEST).build().toByteString(),
            CLIENT,
            random,
            Instant.now());
    assertThat(exchange(env).statuses()).containsExactly(Status.NOT_FOUND);
  }

  @Test
  void aChannelHeldButUnavailableIsServiceUnavailable() throws Exception {
    unavailable.put("otherchannel", "it is being rebuilt from the other orderers after damage");
    Envelope env =
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            "otherchannel",
            SeekInfo.newBuilder().setStart(OLDEST).setStop(OLDEST).build().toByteString(),
            CLIENT,
            random,
            Instant.now());
    assertThat(exchange(env).statuses()).containsExactly(Status.SERVICE_UNAVAILABLE);
  }

  @Test
  void aDamagedBlockEndsTheStreamWithServiceUnavailableAfterTheBlocksBeforeIt() throws Exception {
    Path ledgerDir = ledger.directory();
    ledger.close();
    try (java.io.RandomAccessFile index =
            new java.io.RandomAccessFile(ledgerDir.resolve("index").toFile(), "r");
        java.io.RandomAccessFile blocks =
            new java.io.RandomAccessFile(ledgerDir.resolve("blockfile_000000").toFile(), "rw")) {
      index.seek(2 * 20); // index record of block 2: file, offset, length, CRC
      index.readInt();
      long at = index.readLong() + 8 + index.readInt() / 2;
      blocks.seek(at);
      int b = blocks.read();
      blocks.seek(at);
      blocks.write(b ^ 0x40);
    }
    // reopened, so that block 2 is read from its file rather than from memory
    ledger = BlockLedger.open(ledgerDir, LedgerOptions.defaults());
    Client c = exchange(seek(OLDEST, specified(4)));
    assertThat(c.blockNumbers()).containsExactly(0L, 1L);
    assertThat(c.statuses()).containsExactly(Status.SERVICE_UNAVAILABLE);
  }

  @Test
  void aReaderOutsideTheChannelIsForbidden() throws Exception {
    SeekInfo info = SeekInfo.newBuilder().setStart(OLDEST).setStop(NEWEST).build();
    Client c = exchange(seek(info, STRANGER_ORG.member("x", "client")));
    assertThat(c.blockNumbers()).isEmpty();
    assertThat(c.statuses()).containsExactly(Status.FORBIDDEN);
  }

  @Test
  void readersAreCheckedAgainWhenTheConfigChangesMidStream() throws Exception {
    Client c = open();
    c.requests.onNext(seek(NEXT_COMMIT, specified(Long.MAX_VALUE)));
    await().atMost(TIMEOUT).until(() -> ledger.waitingReaders() == 1);
    appendBlocks(1, 10);
    await().atMost(TIMEOUT).until(() -> c.blockNumbers().size() == 1);
    config.set(LOADER.load(config(STRANGER_ORG, 1).build())); // Org1 is no longer a reader
    appendBlocks(1, 10);
    c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(c.blockNumbers()).containsExactly(5L);
    assertThat(c.statuses()).containsExactly(Status.FORBIDDEN);
  }

  @Test
  void malformedRequestsAreBadRequests() throws Exception {
    Envelope garbage =
        Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 7})).build();
    assertThat(exchange(garbage).statuses()).containsExactly(Status.BAD_REQUEST);
    SeekInfo noStop = SeekInfo.newBuilder().setStart(OLDEST).build();
    assertThat(exchange(seek(noStop, CLIENT)).statuses()).containsExactly(Status.BAD_REQUEST);
    assertThat(exchange(seek(specified(3), specified(1))).statuses())
        .containsExactly(Status.BAD_REQUEST);
    Envelope notSeekInfo =
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            CHANNEL,
            ByteString.copyFrom(new byte[] {(byte) 0xff, 7}),
            CLIENT,
            random,
            Instant.now());
    assertThat(exchange(notSeekInfo).statuses()).containsExactly(Status.BAD_REQUEST);
  }

  @Test
  void aTimestampOutsideTheWindowIsABadRequest() throws Exception {
    Envelope old =
        Envelopes.signed(
            HeaderType.DELIVER_SEEK_INFO,
            CHANNEL,
            SeekInfo.newBuilder().setStart(OLDEST).setStop(OLDEST).build().toByteString(),
            CLIENT,
            random,
            Instant.now().minus(Duration.ofMinutes(16)));
    assertThat(exchange(old).statuses()).containsExactly(Status.BAD_REQUEST);
    assertThat(timestampOf(old).getSeconds()).isPositive();
  }

  private static Timestamp timestampOf(Envelope env) throws Exception {
    var header = Payload.parseFrom(env.getPayload()).getHeader();
    return org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(header.getChannelHeader())
        .getTimestamp();
  }

  @Test
  void anErroredChainIsServiceUnavailableUnlessBestEffort() throws Exception {
    errored.get().complete(null);
    assertThat(exchange(seek(OLDEST, specified(1))).statuses())
        .containsExactly(Status.SERVICE_UNAVAILABLE);
    SeekInfo bestEffort =
        SeekInfo.newBuilder()
            .setStart(OLDEST)
            .setStop(specified(1))
            .setErrorResponse(SeekErrorResponse.BEST_EFFORT)
            .build();
    Client c = exchange(seek(bestEffort, CLIENT));
    assertThat(c.blockNumbers()).containsExactly(0L, 1L);
    assertThat(c.statuses()).containsExactly(Status.SUCCESS);
  }

  @Test
  void aChainErringWhileAStreamWaitsEndsItWithServiceUnavailable() throws Exception {
    Client c = open();
    c.requests.onNext(seek(NEXT_COMMIT, specified(9)));
    await().atMost(TIMEOUT).until(() -> ledger.waitingReaders() == 1);
    errored.get().complete(null);
    c.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(c.statuses()).containsExactly(Status.SERVICE_UNAVAILABLE);
  }

  @Test
  void headerWithSigStripsDataFromNormalBlocksButNotFromConfigBlocks() throws Exception {
    SeekInfo info =
        SeekInfo.newBuilder()
            .setStart(OLDEST)
            .setStop(specified(1))
            .setContentType(SeekContentType.HEADER_WITH_SIG)
            .build();
    Client c = exchange(seek(info, CLIENT));
    List<Block> blocks =
        c.received.stream()
            .filter(DeliverResponse::hasBlock)
            .map(DeliverResponse::getBlock)
            .toList();
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).getData().getDataCount()).isEqualTo(1); // config block, whole
    assertThat(blocks.get(1).hasData()).isFalse();
    assertThat(blocks.get(1).getMetadata().getMetadataCount()).isEqualTo(5);
    assertThat(blocks.get(1).getHeader()).isEqualTo(ledger.block(1).getHeader());
  }

  @Test
  void aClientThatDoesNotReadStopsTheServerFromSendingUntilItReadsAgain() throws Exception {
    appendBlocks(30, 512 * 1024); // blocks 5..34 of about 512 KiB
    Client c = open(0);
    c.requests.onNext(seek(OLDEST, NEWEST));
    // the HTTP/2 windows hold a few such blocks (about 7 here), far from all 35: the server must
    // park once they are full instead of queueing the rest
    await().atMost(TIMEOUT).until(() -> blocksSent() > 0);
    await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> blocksSent() <= 10);
    assertThat(c.received).isEmpty();
    c.requests.request(Integer.MAX_VALUE);
    await().atMost(TIMEOUT).until(() -> c.statuses().size() == 1);
    assertThat(c.blockNumbers()).hasSize(35).isSorted();
    assertThat(c.statuses()).containsExactly(Status.SUCCESS);
  }

  private double blocksSent() {
    var counter = registry.find("deliver_blocks_sent").counter();
    return counter == null ? 0 : counter.count();
  }
}
