package io.ordo.orderer.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Signer;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.consensus.Chain;
import io.ordo.orderer.msgprocessor.StandardChannel;
import io.ordo.orderer.testing.BroadcastAnswers;
import io.ordo.orderer.testing.Loopback;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BroadcastHandlerTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final TestOrg STRANGER_ORG = new TestOrg("Org9MSP");
  private static final TestOrg.TlsIdentity TLS = ORDERER_ORG.tls("orderer1.example.com");
  private static final LocalSigningIdentity ORDERER = ORDERER_ORG.member("orderer1", "orderer");
  private static final LocalSigningIdentity CLIENT = ORG1.member("User1", "client");
  private static final ChannelConfigLoader LOADER = new ChannelConfigLoader(TestOrg.ECDSA);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final SecureRandom random = new SecureRandom();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeChain chain = new FakeChain();
  private BroadcastChannels channels =
      id -> id.equals(CHANNEL) ? Optional.of(chain) : Optional.empty();
  private BroadcastHandler handler;
  private Loopback loopback;

  private static TestChannelConfig config(long seq) {
    return new TestChannelConfig()
        .ordererOrg(ORDERER_ORG)
        .applicationOrg(ORG1)
        .consenter("orderer1.example.com", 7050, TLS.certificatePem(), TLS.certificatePem())
        .batchSize(10, 32 * 1024, 16 * 1024)
        .sequence(seq);
  }

  /** The chain side: records what it is given; can refuse or pause intake. */
  private final class FakeChain implements BroadcastSupport, Chain {
    final AtomicReference<ChannelConfig> current =
        new AtomicReference<>(LOADER.load(config(0).build()));
    final StandardChannel processor =
        new StandardChannel(
            CHANNEL,
            current::get,
            LOADER,
            (cfg, update) -> config(cfg.sequence() + 1).build(),
            ORDERER,
            false,
            Clock.systemUTC(),
            random);
    final List<Envelope> ordered = new CopyOnWriteArrayList<>();
    final List<Envelope> configured = new CopyOnWriteArrayList<>();
    volatile String refusal;
    volatile CountDownLatch paused = new CountDownLatch(0);

    @Override
    public StandardChannel processor() {
      return processor;
    }

    @Override
    public Chain chain() {
      return this;
    }

    @Override
    public CompletableFuture<Void> errored() {
      return new CompletableFuture<>();
    }

    @Override
    public void start() {}

    @Override
    public void halt() {}

    @Override
    public void waitReady() {
      try {
        paused.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the chain");
      }
    }

    /**
     * Whether an envelope handed over is in a block at once; else it waits in {@link #unwritten}.
     */
    volatile boolean writtenAtOnce = true;

    final List<CompletableFuture<Void>> unwritten = new CopyOnWriteArrayList<>();

    private CompletableFuture<Void> written() {
      if (writtenAtOnce) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      unwritten.add(f);
      return f;
    }

    @Override
    public CompletableFuture<Void> order(Envelope envelope, long configSeq) {
      if (refusal != null) {
        throw new IllegalStateException(refusal);
      }
      ordered.add(envelope);
      return written();
    }

    /** Envelopes taken without waiting, on the validation pool; the rest went through order. */
    final List<Envelope> takenWithoutWaiting = new CopyOnWriteArrayList<>();

    /**
     * Whether tryOrder may take the n-th envelope offered (from 0); a real chain would not pause.
     */
    volatile IntPredicate takesWithoutWaiting = n -> true;

    private final AtomicInteger offers = new AtomicInteger();

    @Override
    public CompletableFuture<Void> tryOrder(Envelope envelope, long configSeq) {
      if (refusal != null) {
        throw new IllegalStateException(refusal);
      }
      if (paused.getCount() > 0 || !takesWithoutWaiting.test(offers.getAndIncrement())) {
        return null;
      }
      assertThat(Thread.currentThread().isVirtual()).as("tryOrder on a virtual thread").isFalse();
      ordered.add(envelope);
      takenWithoutWaiting.add(envelope);
      return written();
    }

    @Override
    public CompletableFuture<Void> configure(Envelope config, long configSeq) {
      if (refusal != null) {
        throw new IllegalStateException(refusal);
      }
      configured.add(config);
      return written();
    }
  }

  /** A client stream: what it received and how it ended, and its request side. */
  private static final class Client extends BroadcastAnswers {
    StreamObserver<Envelope> requests;

    void awaitEnd() throws Exception {
      done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private void start(BroadcastOptions options) {
    handler =
        new BroadcastHandler(id -> channels.channel(id), options, new BroadcastMetrics(registry));
    AtomicBroadcastService service =
        new AtomicBroadcastService(
            handler,
            (responses, remote, cert) -> {
              throw new UnsupportedOperationException("no deliver here");
            });
    loopback = new Loopback(service.definition());
  }

  private Client open() {
    if (handler == null) {
      start(new BroadcastOptions(4, 64, 32));
    }
    Client c = new Client();
    c.requests = AtomicBroadcastGrpc.newStub(loopback.channel).broadcast(c);
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    if (loopback != null) {
      loopback.close();
    }
    if (handler != null) {
      handler.close();
    }
  }

  private Envelope normal(Signer signer, int dataBytes) {
    return envelope(HeaderType.ENDORSER_TRANSACTION, CHANNEL, signer, dataBytes);
  }

  private Envelope envelope(HeaderType type, String channel, Signer signer, int dataBytes) {
    return Envelopes.signed(
        type, channel, ByteString.copyFrom(new byte[dataBytes]), signer, random, TestOrg.NOW);
  }

  /** Sends the envelopes, half-closes, waits for the end; returns the answers. */
  private List<BroadcastResponse> exchange(Envelope... envelopes) throws Exception {
    Client c = open();
    for (Envelope e : envelopes) {
      c.requests.onNext(e);
    }
    c.requests.onCompleted();
    c.awaitEnd();
    return c.responses;
  }

  private static void assertSingleRefusal(
      List<BroadcastResponse> answers, Status status, String info) {
    assertThat(answers).hasSize(1);
    assertThat(answers.getFirst().getStatus()).isEqualTo(status);
    assertThat(answers.getFirst().getInfo()).contains(info);
  }

  @Test
  void aStreamOfValidEnvelopesIsAnsweredSuccessInOrderAndOrderedInOrder() throws Exception {
    Envelope[] sent = new Envelope[100];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = normal(CLIENT, i + 1);
    }
    List<BroadcastResponse> answers = exchange(sent);
    assertThat(answers).hasSize(sent.length).allMatch(r -> r.getStatus() == Status.SUCCESS);
    assertThat(chain.ordered).containsExactly(sent);
    assertThat(chain.takenWithoutWaiting).as("the chain took them at once").hasSize(sent.length);
  }

  @Test
  void envelopesTheChainTakesOnlyByWaitingKeepTheirPlaceAmongThoseItTakesAtOnce() throws Exception {
    // every third offer would have to wait: its answer and those behind it move to a virtual
    // thread and back, and answers and ordering keep the sending order throughout
    chain.takesWithoutWaiting = n -> n % 3 != 0;
    Envelope[] sent = new Envelope[200];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = normal(CLIENT, i + 1);
    }
    List<BroadcastResponse> answers = exchange(sent);
    assertThat(answers).hasSize(sent.length).allMatch(r -> r.getStatus() == Status.SUCCESS);
    assertThat(chain.ordered).containsExactly(sent);
    assertThat(chain.takenWithoutWaiting).hasSizeBetween(1, sent.length - 1);
  }

  @Test
  void envelopesOfOneStreamAreValidatedInParallelButAnsweredInOrder() throws Exception {
    // the first envelope's lookup cannot return before the last one's has started: with serial
    // validation this would never finish; the answers must still come in sending order
    int n = 4;
    CountDownLatch lastStarted = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    channels =
        id -> {
          int k = lookups.incrementAndGet();
          if (k == 1) {
            awaitLatch(lastStarted);
          } else if (k == n) {
            lastStarted.countDown();
          }
          return Optional.of(chain);
        };
    start(new BroadcastOptions(n, 16, 16));
    Envelope[] sent = new Envelope[n];
    for (int i = 0; i < n; i++) {
      sent[i] = normal(CLIENT, 10 + i);
    }
    List<BroadcastResponse> answers = exchange(sent);
    assertThat(answers).hasSize(n).allMatch(r -> r.getStatus() == Status.SUCCESS);
    assertThat(chain.ordered).containsExactly(sent);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aSignerOutsideTheWritersIsForbiddenAndTheStreamEndsThere() throws Exception {
    Envelope refused = normal(STRANGER_ORG.member("x", "client"), 10);
    List<BroadcastResponse> answers = exchange(refused, normal(CLIENT, 10));
    assertSingleRefusal(answers, Status.FORBIDDEN, "/Channel/Writers");
    assertThat(chain.ordered).isEmpty();
  }

  @Test
  void anUnknownChannelIsABadRequestNotNotFound() throws Exception {
    assertSingleRefusal(
        exchange(envelope(HeaderType.ENDORSER_TRANSACTION, "nochannel", CLIENT, 10)),
        Status.BAD_REQUEST,
        "channel does not exist");
  }

  @Test
  void anEnvelopeOverAbsoluteMaxBytesIsABadRequest() throws Exception {
    assertSingleRefusal(
        exchange(normal(CLIENT, 40_000)),
        Status.BAD_REQUEST,
        "exceeds maximum allowed 32768 bytes");
  }

  @Test
  void anExpiredIdentityIsABadRequest() throws Exception {
    LocalSigningIdentity expired =
        ORG1.member(
            "Old", "client", TestOrg.NOW.minus(Duration.ofDays(30)), TestOrg.NOW.minusSeconds(60));
    assertSingleRefusal(
        exchange(normal(expired, 10)), Status.BAD_REQUEST, "broadcast client identity expired");
  }

  @Test
  void garbageAndHeaderlessEnvelopesAreBadRequestsNamingTheChannelIdProblem() throws Exception {
    Envelope garbage =
        Envelope.newBuilder()
            .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2}))
            .build();
    assertSingleRefusal(exchange(garbage), Status.BAD_REQUEST, "could not determine channel ID");
    assertSingleRefusal(
        exchange(Envelope.getDefaultInstance()),
        Status.BAD_REQUEST,
        "could not determine channel ID: header not set");
  }

  @Test
  void configAndOrdererTransactionEnvelopesAreRefusedAsBadRequests() throws Exception {
    assertSingleRefusal(
        exchange(envelope(HeaderType.CONFIG, CHANNEL, CLIENT, 10)),
        Status.BAD_REQUEST,
        "message is of type that cannot be processed directly");
    assertSingleRefusal(
        exchange(envelope(HeaderType.ORDERER_TRANSACTION, CHANNEL, CLIENT, 10)),
        Status.BAD_REQUEST,
        "message is of type that is no longer supported");
  }

  @Test
  void aChainWithoutLeaderAnswersServiceUnavailableWithItsReason() throws Exception {
    chain.refusal = "no Raft leader";
    assertSingleRefusal(exchange(normal(CLIENT, 10)), Status.SERVICE_UNAVAILABLE, "no Raft leader");
  }

  @Test
  void aConfigUpdateIsConfiguredAsAConfigEnvelopeSignedByTheOrderer() throws Exception {
    Envelope update =
        Envelopes.signed(
            HeaderType.CONFIG_UPDATE,
            CHANNEL,
            ConfigUpdateEnvelope.getDefaultInstance().toByteString(),
            CLIENT,
            random,
            TestOrg.NOW);
    List<BroadcastResponse> answers = exchange(update);
    assertThat(answers).extracting(BroadcastResponse::getStatus).containsExactly(Status.SUCCESS);
    assertThat(chain.configured).hasSize(1);
    Payload payload = Payload.parseFrom(chain.configured.getFirst().getPayload());
    assertThat(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType())
        .isEqualTo(HeaderType.CONFIG_VALUE);
    assertThat(chain.ordered).isEmpty();
  }

  @Test
  void aFullValidationQueuePushesBackWithServiceUnavailableInOrder() throws Exception {
    // one validation thread held by the first envelope, a queue of one: the third is refused
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    channels =
        id -> {
          if (lookups.incrementAndGet() == 1) {
            entered.countDown();
            awaitLatch(release);
          }
          return Optional.of(chain);
        };
    start(new BroadcastOptions(1, 1, 16));
    Client c = open();
    c.requests.onNext(normal(CLIENT, 1));
    awaitLatch(entered);
    c.requests.onNext(normal(CLIENT, 2));
    c.requests.onNext(normal(CLIENT, 3));
    await().atMost(TIMEOUT).until(() -> handlerRejections() == 1);
    release.countDown();
    c.requests.onCompleted();
    c.awaitEnd();
    assertThat(c.responses)
        .extracting(BroadcastResponse::getStatus)
        .containsExactly(Status.SUCCESS, Status.SUCCESS, Status.SERVICE_UNAVAILABLE);
    assertThat(c.responses.get(2).getInfo()).isEqualTo("broadcast validation queue is full");
    assertThat(chain.ordered).hasSize(2);
  }

  private double handlerRejections() {
    var counter = registry.find("broadcast_validation_rejected").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void whileTheChainPausesIntakeNoAnswerLeavesAndNoneIsLost() throws Exception {
    chain.paused = new CountDownLatch(1);
    Client c = open();
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope e = normal(CLIENT, 5 + i);
      sent.add(e);
      c.requests.onNext(e);
    }
    await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> c.responses.isEmpty());
    chain.paused.countDown();
    c.requests.onCompleted();
    c.awaitEnd();
    assertThat(c.responses).hasSize(5).allMatch(r -> r.getStatus() == Status.SUCCESS);
    assertThat(chain.ordered).containsExactlyElementsOf(sent);
  }

  @Test
  void successIsAnsweredOnlyOnceTheEnvelopeIsInABlockAndHandingOverDoesNotWaitForIt()
      throws Exception {
    chain.writtenAtOnce = false;
    Client c = open();
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Envelope e = normal(CLIENT, 10 + i);
      sent.add(e);
      c.requests.onNext(e);
    }
    // all six reach the chain while none is in a block yet, and none is answered
    await().atMost(TIMEOUT).until(() -> chain.unwritten.size() == 6);
    assertThat(chain.ordered).containsExactlyElementsOf(sent);
    await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> c.responses.isEmpty());

    // blocks come out of order: answers still leave in sending order, each once its block exists
    chain.unwritten.get(1).complete(null);
    await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> c.responses.isEmpty());
    chain.unwritten.get(0).complete(null);
    await().atMost(TIMEOUT).until(() -> c.responses.size() == 2);
    for (int i = 2; i < 6; i++) {
      chain.unwritten.get(i).complete(null);
    }
    c.requests.onCompleted();
    c.awaitEnd();
    assertThat(c.responses).hasSize(6).allMatch(r -> r.getStatus() == Status.SUCCESS);
  }

  @Test
  void anEnvelopeTheChainGivesUpOnIsAnsweredUnavailableAndEndsTheStream() throws Exception {
    chain.writtenAtOnce = false;
    Client c = open();
    c.requests.onNext(normal(CLIENT, 1));
    c.requests.onNext(normal(CLIENT, 2));
    await().atMost(TIMEOUT).until(() -> chain.unwritten.size() == 2);
    chain.unwritten.get(1).complete(null);
    chain
        .unwritten
        .get(0)
        .completeExceptionally(
            new io.ordo.orderer.consensus.ChainUnavailableException("not ordered within 17 s"));
    c.awaitEnd();
    assertThat(c.responses)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
              assertThat(r.getInfo()).isEqualTo("not ordered within 17 s");
            });
  }

  @Test
  void everyAnswerIsCountedWithFabricsMetricNamesAndLabels() throws Exception {
    exchange(normal(CLIENT, 10), normal(CLIENT, 11));
    exchange(normal(STRANGER_ORG.member("y", "client"), 10));
    assertThat(
            registry
                .get("broadcast_processed_count")
                .tags("channel", CHANNEL, "type", "ENDORSER_TRANSACTION", "status", "SUCCESS")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry.get("broadcast_processed_count").tag("status", "FORBIDDEN").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("broadcast_validate_duration").tag("status", "SUCCESS").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("broadcast_enqueue_duration").tag("status", "SUCCESS").timer().count())
        .isEqualTo(2);
  }

  @Test
  void aStreamWhoseLabelsChangeCountsEachAnswerUnderItsOwnLabels() throws Exception {
    // one stream: two successes, then a refusal; the stream's recorder must not keep the first
    // label set's meters for the refusal
    exchange(
        normal(CLIENT, 10), normal(CLIENT, 11), normal(STRANGER_ORG.member("z", "client"), 12));
    assertThat(registry.get("broadcast_processed_count").tag("status", "SUCCESS").counter().count())
        .isEqualTo(2);
    assertThat(
            registry.get("broadcast_processed_count").tag("status", "FORBIDDEN").counter().count())
        .isEqualTo(1);
    assertThat(
            registry.get("broadcast_validate_duration").tag("status", "FORBIDDEN").timer().count())
        .isEqualTo(1);
    assertThat(registry.find("broadcast_enqueue_duration").tag("status", "FORBIDDEN").timer())
        .as("a refused envelope is never enqueued")
        .isNull();
  }
}
