package io.ordo.orderer.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.config.BackoffConfig;
import io.ordo.orderer.testing.TestData;
import io.ordo.orderer.testing.TestOrg;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClusterCommTest {
  private static final String CHANNEL = "mychannel";
  private static final TestOrg ORG = new TestOrg("OrdererMSP");
  private static final TestOrg OTHER_CA = new TestOrg("EvilMSP");
  private static final ClientOptions OPTIONS =
      new ClientOptions(
          10,
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          new BackoffConfig(Duration.ofMillis(50), 1.6, Duration.ofMillis(500)),
          100 * 1024 * 1024,
          100 * 1024 * 1024);

  /** One node: TLS identity, membership, received requests, and its server and client. */
  private static final class Node implements AutoCloseable {
    final long id;
    final TestOrg.TlsIdentity tls;
    final ClusterMembership membership = new ClusterMembership();
    final ConcurrentLinkedQueue<Object[]> received = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> unreachable = new ConcurrentLinkedQueue<>();

    /** Read when the node starts; a test may replace it before. */
    ClientOptions options;

    ClusterServer server;
    volatile ClusterClient client;
    int port;

    Node(long id) {
      this(id, OPTIONS);
    }

    Node(long id, ClientOptions options) {
      this(id, options, ORG.tls("orderer" + id + ".example.com"));
    }

    Node(long id, ClientOptions options, TestOrg.TlsIdentity tls) {
      this.id = id;
      this.options = options;
      this.tls = tls;
    }

    TlsIdentity identity() {
      return new TlsIdentity(tls.keys().getPrivate(), List.of(tls.certificate()));
    }

    void start(int port) {
      server =
          ClusterServer.start(
              new InetSocketAddress("127.0.0.1", port),
              identity(),
              new TrustRoots(List.of(ORG.tlsCa.certificate())),
              membership,
              new ClusterHandler() {
                @Override
                public void onConsensus(String channel, ConsensusRequest request, long sender) {
                  received.add(new Object[] {channel, request, sender});
                }

                @Override
                public void onSubmit(String channel, SubmitRequest request, long sender) {
                  received.add(new Object[] {channel, request, sender});
                }
              },
              100 * 1024 * 1024,
              Duration.ofSeconds(60));
      this.port = server.port();
      if (client == null) {
        client =
            new ClusterClient(
                membership,
                identity(),
                new TrustRoots(List.of(ORG.tlsCa.certificate())),
                options,
                (ch, nodeId) -> unreachable.add(nodeId));
      }
    }

    RemoteNode asRemote() {
      return new RemoteNode(id, "127.0.0.1", port, tls.certificate(), tls.certificate());
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.close();
      }
    }
  }

  private final Node a = new Node(1);
  private final Node b = new Node(2);
  private Node slowA;

  @AfterEach
  void stop() {
    a.close();
    b.close();
    if (slowA != null) {
      slowA.close();
    }
  }

  private void startPair() {
    a.start(0);
    b.start(0);
    a.membership.configure(CHANNEL, List.of(b.asRemote()));
    b.membership.configure(CHANNEL, List.of(a.asRemote()));
  }

  private static JsonNode stepVector() throws Exception {
    for (JsonNode v :
        new ObjectMapper().readTree(TestData.path("raftpb-and-block-hash.json").toFile())) {
      if (v.get("kind").asText().equals("orderer.StepRequest")) {
        return v;
      }
    }
    throw new AssertionError("no orderer.StepRequest vector");
  }

  @Test
  void theStepRequestVectorEncodesByteForByte() throws Exception {
    JsonNode v = stepVector();
    byte[] payload = HexFormat.of().parseHex(v.get("value").get("payload_hex").asText());
    StepRequest step =
        StepRequest.newBuilder()
            .setConsensusRequest(
                ConsensusRequest.newBuilder()
                    .setChannel(v.get("value").get("channel").asText())
                    .setPayload(ByteString.copyFrom(payload)))
            .build();
    assertThat(HexFormat.of().formatHex(step.toByteArray())).isEqualTo(v.get("hex").asText());
    assertThat(io.ordo.raft.pb.Message.parseFrom(payload).getType().getNumber()).isEqualTo(8);
  }

  /**
   * General.MaxSendMsgSize on the cluster client: a larger request is not sent, the next one is.
   */
  @Test
  void aRequestOverMaxSendMsgSizeIsNotSentAndTheNextOneIs() {
    a.options =
        new ClientOptions(
            10,
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            new BackoffConfig(Duration.ofMillis(50), 1.6, Duration.ofMillis(500)),
            100 * 1024 * 1024,
            1024);
    startPair();
    a.client.sendSubmit(CHANNEL, 2, submit("big " + "x".repeat(2048)));
    // the refused send broke the stream: submits fail fast until it is open again
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(ClusterSendException.class)
        .until(
            () -> {
              a.client.sendSubmit(CHANNEL, 2, submit("small"));
              return true;
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !b.received.isEmpty());
    // streams keep the order: had the big one gone out, it would have arrived first
    assertThat(b.received)
        .allSatisfy(
            r ->
                assertThat(((SubmitRequest) r[1]).getPayload().getPayload().toStringUtf8())
                    .isEqualTo("small"));
  }

  /**
   * An announcement made before this node listens waits for {@code listening()}: the consenter it
   * reaches would otherwise reconnect to a port not open yet and back off for its base delay.
   */
  @Test
  void announcementsWaitUntilTheNodeListens() {
    startPair();
    a.client.announce(CHANNEL, 2, consensus("announce"));
    a.client.sendConsensus(CHANNEL, 2, consensus("raft"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !b.received.isEmpty());
    // one stream keeps the order: had the announcement gone out, it would have arrived first
    assertThat(payloads(b)).containsExactly("raft");

    a.client.listening();
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 2);
    assertThat(payloads(b)).containsExactly("raft", "announce");
    a.client.announce(CHANNEL, 2, consensus("again"));
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 3);
    assertThat(payloads(b)).containsExactly("raft", "announce", "again");
  }

  private static ConsensusRequest consensus(String payload) {
    return ConsensusRequest.newBuilder()
        .setChannel(CHANNEL)
        .setPayload(ByteString.copyFromUtf8(payload))
        .build();
  }

  private static List<String> payloads(Node node) {
    return node.received.stream()
        .map(r -> ((ConsensusRequest) r[1]).getPayload().toStringUtf8())
        .toList();
  }

  private static SubmitRequest submit(String payload) {
    return SubmitRequest.newBuilder()
        .setChannel(CHANNEL)
        .setPayload(Envelope.newBuilder().setPayload(ByteString.copyFromUtf8(payload)))
        .build();
  }

  @Test
  void consensusAndSubmitRequestsFlowBothWaysByteExactWithTheSendersRaftId() throws Exception {
    startPair();
    byte[] payload = HexFormat.of().parseHex(stepVector().get("value").get("payload_hex").asText());
    ConsensusRequest consensus =
        ConsensusRequest.newBuilder()
            .setChannel(CHANNEL)
            .setPayload(ByteString.copyFrom(payload))
            .setMetadata(ByteString.copyFrom(new byte[] {0x0a, 0x02, 0x01, 0x02}))
            .build();
    a.client.sendConsensus(CHANNEL, 2, consensus);
    SubmitRequest submit =
        SubmitRequest.newBuilder()
            .setChannel(CHANNEL)
            .setLastValidationSeq(7)
            .setPayload(
                Envelope.newBuilder()
                    .setPayload(ByteString.copyFromUtf8("payload bytes"))
                    .setSignature(ByteString.copyFromUtf8("sig")))
            .build();
    b.client.sendSubmit(CHANNEL, 1, submit);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !b.received.isEmpty() && !a.received.isEmpty());
    Object[] atB = b.received.poll();
    assertThat(atB[0]).isEqualTo(CHANNEL);
    assertThat(((ConsensusRequest) atB[1]).toByteArray()).isEqualTo(consensus.toByteArray());
    assertThat(atB[2]).isEqualTo(1L);
    Object[] atA = a.received.poll();
    assertThat(((SubmitRequest) atA[1]).toByteArray()).isEqualTo(submit.toByteArray());
    assertThat(atA[2]).isEqualTo(2L);
  }

  @Test
  void manyMessagesOnOneStreamArriveInOrder() {
    startPair();
    for (int i = 0; i < 200; i++) {
      b.client.sendSubmit(
          CHANNEL,
          1,
          SubmitRequest.newBuilder().setChannel(CHANNEL).setLastValidationSeq(i).build());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 200);
    long expected = 0;
    for (Object[] r : a.received) {
      assertThat(((SubmitRequest) r[1]).getLastValidationSeq()).isEqualTo(expected++);
    }
  }

  @Test
  void aStreamFromACertificateThatIsNotAConsentersIsRefused() throws Exception {
    startPair();
    // same TLS CA (passes the handshake) but not listed for any consenter of the channel
    TestOrg.TlsIdentity stranger = ORG.tls("stranger.example.com");
    Throwable error = stepWith(stranger, b.port);
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    assertThat(error.getMessage())
        .contains("certificate extracted from TLS connection isn't authorized");
    assertThat(b.received).isEmpty();
  }

  @Test
  void aClientCertificateFromAnUntrustedCaFailsTheHandshake() throws Exception {
    startPair();
    Throwable error = stepWith(OTHER_CA.tls("orderer1.example.com"), b.port);
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    assertThat(error.getMessage()).doesNotContain("isn't authorized");
    assertThat(b.received).isEmpty();
  }

  /** A TLS certificate that expired an hour ago. */
  private static TestOrg.TlsIdentity expired(String host) {
    return ORG.tls(
        host,
        TestOrg.NOW.minus(Duration.ofDays(30)),
        TestOrg.NOW.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  private static ListAppender<ILoggingEvent> trustLog() {
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    ((Logger) LoggerFactory.getLogger(PkixTrustManager.class)).addAppender(events);
    return events;
  }

  private static void release(ListAppender<ILoggingEvent> events) {
    ((Logger) LoggerFactory.getLogger(PkixTrustManager.class)).detachAppender(events);
  }

  /**
   * A client presenting an expired certificate is refused at the handshake with TLS's
   * certificate_expired alert (all a refused client can be told), and the node logs one WARN naming
   * the certificate's subject and its expiry date.
   */
  @Test
  void anExpiredClientCertificateIsRefusedAndLoggedByItsSubjectAndExpiry() throws Exception {
    startPair();
    TestOrg.TlsIdentity old = expired("orderer1.example.com");
    ListAppender<ILoggingEvent> events = trustLog();
    try {
      Throwable error = stepWith(old, b.port);
      assertThat(error).isInstanceOf(StatusRuntimeException.class);
      String chain = causes(error);
      assertThat(chain).containsIgnoringCase("certificate_expired");
      assertThat(b.received).isEmpty();
      assertThat(events.list)
          .filteredOn(e -> e.getLevel() == Level.WARN)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              w ->
                  assertThat(w)
                      .startsWith("refused the TLS client certificate CN=orderer1.example.com")
                      .contains("expired at " + old.certificate().getNotAfter().toInstant()));
    } finally {
      release(events);
    }
  }

  /** A node dialling a consenter whose server certificate expired names it and its expiry date. */
  @Test
  void aServerWithAnExpiredCertificateIsRefusedByNameAndExpiry() {
    Node old = new Node(2, OPTIONS, expired("orderer2.example.com"));
    ListAppender<ILoggingEvent> events = trustLog();
    try (old) {
      a.start(0);
      old.start(0);
      a.membership.configure(CHANNEL, List.of(old.asRemote()));
      a.client.sendConsensus(CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events.list)
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .anySatisfy(
                          w ->
                              assertThat(w)
                                  .startsWith(
                                      "refused the TLS server certificate CN=orderer2.example.com")
                                  .contains(
                                      "expired at "
                                          + old.tls.certificate().getNotAfter().toInstant())));
      assertThat(old.received).isEmpty();
    } finally {
      release(events);
    }
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c).append('\n');
    }
    return b.toString();
  }

  @Test
  void aRequestForAChannelTheServerDoesNotServeIsRefused() throws Exception {
    startPair();
    Throwable error = stepWith(a.tls, b.port, "otherchannel");
    assertThat(error.getMessage()).contains("channel otherchannel doesn't exist");
  }

  /** Sends one consensus request on a raw stream with {@code tls} and returns how it ended. */
  private Throwable stepWith(TestOrg.TlsIdentity tls, int port) throws Exception {
    return stepWith(tls, port, CHANNEL);
  }

  private Throwable stepWith(TestOrg.TlsIdentity tls, int port, String channel) throws Exception {
    var ctx =
        GrpcSslContexts.configure(
                SslContextBuilder.forClient()
                    .keyManager(tls.keys().getPrivate(), tls.certificate())
                    .trustManager(ORG.tlsCa.certificate()),
                SslProvider.JDK)
            .build();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ctx).build();
    try {
      CompletableFuture<Throwable> ended = new CompletableFuture<>();
      StreamObserver<StepRequest> requests =
          ClusterGrpc.newStub(ch)
              .step(
                  new StreamObserver<StepResponse>() {
                    @Override
                    public void onNext(StepResponse value) {}

                    @Override
                    public void onError(Throwable t) {
                      ended.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                      ended.complete(null);
                    }
                  });
      requests.onNext(
          StepRequest.newBuilder()
              .setConsensusRequest(ConsensusRequest.newBuilder().setChannel(channel))
              .build());
      return ended.get(10, TimeUnit.SECONDS);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aServerWhoseKeyIsNotThePinnedOneGetsNothingAndIsReportedUnreachable() {
    startPair();
    // a's config says node 2 serves with a certificate whose key b does not hold
    X509Certificate pinnedElsewhere = ORG.tls("orderer2.example.com").certificate();
    a.membership.configure(
        CHANNEL,
        List.of(new RemoteNode(2, "127.0.0.1", b.port, pinnedElsewhere, b.tls.certificate())));
    a.client.sendConsensus(CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> a.unreachable.contains(2L));
    assertThat(b.received).isEmpty();
  }

  /**
   * A remote that accepts the connection and closes it during the TLS handshake (a node going down,
   * a proxy whose target is gone) makes grpc-java append the Netty pipeline to the status on
   * further lines: the stream's warning stays one line, without Netty's handler names.
   */
  @Test
  void aConnectionClosedDuringTheHandshakeIsWarnedInOneLine() throws Exception {
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    Logger log = (Logger) LoggerFactory.getLogger(RemoteStream.class);
    events.start();
    log.addAppender(events);
    try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!closing.isClosed()) {
                  try (Socket s = closing.accept()) {
                    s.getInputStream().read(); // the ClientHello's first byte, then close
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      a.start(0);
      a.membership.configure(
          CHANNEL,
          List.of(
              new RemoteNode(
                  2,
                  "127.0.0.1",
                  closing.getLocalPort(),
                  b.tls.certificate(),
                  b.tls.certificate())));
      a.client.sendConsensus(CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> events.list.stream().anyMatch(e -> e.getLevel() == Level.WARN));
    } finally {
      log.detachAppender(events);
    }
    assertThat(events.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .allSatisfy(
            e -> {
              assertThat(e.getFormattedMessage()).startsWith("stream to 127.0.0.1:");
              assertThat(e.getFormattedMessage()).doesNotContain("\n", "Pipeline", "Exception");
            });
  }

  @Test
  void consensusMessagesBeyondTheSendBufferAreDroppedAndSubmitsTimeOut() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    a.start(0);
    a.membership.configure(
        CHANNEL,
        List.of(
            new RemoteNode(2, "127.0.0.1", deadPort, b.tls.certificate(), b.tls.certificate())));
    for (int i = 0; i < 100; i++) {
      a.client.sendConsensus(CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.unreachable.size() >= 1);
    assertThat(a.client.droppedConsensusMessages()).isPositive();
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                a.client.sendSubmit(
                    CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build()))
        .isInstanceOf(ClusterSendException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theClientReconnectsAfterTheRemoteRestarts() throws Exception {
    startPair();
    a.client.sendSubmit(CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 1);
    int port = b.port;
    b.server.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
              return a.unreachable.contains(2L);
            });
    b.start(port);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL,
                  2,
                  ConsensusRequest.newBuilder()
                      .setChannel(CHANNEL)
                      .setPayload(ByteString.copyFromUtf8("after restart"))
                      .build());
              return b.received.stream()
                  .anyMatch(
                      r ->
                          r[1] instanceof ConsensusRequest c
                              && c.getPayload().toStringUtf8().equals("after restart"));
            });
  }

  @Test
  void aRemoteBackAfterSecondsDownIsReachedWithinTheConfiguredBackoffNotGrpcsOwn()
      throws Exception {
    startPair();
    a.client.sendSubmit(CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 1);
    int port = b.port;
    b.server.close();
    // seconds of failed attempts: gRPC's own connect backoff (1 s, then 1.6 s...) would now be
    // far beyond the configured 500 ms maximum
    long downSince = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
              return System.nanoTime() - downSince > Duration.ofSeconds(3).toNanos();
            });
    b.start(port);
    long backAt = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL,
                  2,
                  ConsensusRequest.newBuilder()
                      .setChannel(CHANNEL)
                      .setPayload(ByteString.copyFromUtf8("back"))
                      .build());
              return b.received.stream()
                  .anyMatch(
                      r ->
                          r[1] instanceof ConsensusRequest c
                              && c.getPayload().toStringUtf8().equals("back"));
            });
    assertThat(Duration.ofNanos(System.nanoTime() - backAt))
        .as("from the remote's restart to the first message it receives")
        .isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void aRemoteThatOpensAStreamToThisNodeIsReachedAtOnceInsteadOfAfterTheBackoff() {
    a.options =
        new ClientOptions(
            10,
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            new BackoffConfig(Duration.ofMillis(500), 60, Duration.ofSeconds(30)),
            100 * 1024 * 1024,
            100 * 1024 * 1024);
    startPair();
    a.client.sendSubmit(CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 1);
    int port = b.port;
    b.client.close();
    b.client = null;
    b.server.close();
    // a's attempts to reach b fail: the first waits 500 ms, the second 30 s
    long downSince = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
              return System.nanoTime() - downSince > Duration.ofMillis(1500).toNanos();
            });
    // b comes back as a restarted process does: a new server, and new streams out of it
    b.start(port);
    long backAt = System.nanoTime();
    b.client.sendConsensus(
        CHANNEL,
        1,
        ConsensusRequest.newBuilder()
            .setChannel(CHANNEL)
            .setPayload(ByteString.copyFromUtf8("hello"))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                a.received.stream()
                    .anyMatch(
                        r ->
                            r[1] instanceof ConsensusRequest c
                                && c.getPayload().toStringUtf8().equals("hello")));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              a.client.sendConsensus(
                  CHANNEL,
                  2,
                  ConsensusRequest.newBuilder()
                      .setChannel(CHANNEL)
                      .setPayload(ByteString.copyFromUtf8("back"))
                      .build());
              return b.received.stream()
                  .anyMatch(
                      r ->
                          r[1] instanceof ConsensusRequest c
                              && c.getPayload().toStringUtf8().equals("back"));
            });
    assertThat(Duration.ofNanos(System.nanoTime() - backAt))
        .as("from b's restart to a reaching b, with a 30 s backoff pending")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aStreamBackingOffReconnectsAtOnceWhenTheRemoteIsHeardFromAgain() throws Exception {
    // a backoff far longer than the test may wait: only the reset lets a reach b again in time
    slowA =
        new Node(
            1,
            new ClientOptions(
                10,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                new BackoffConfig(Duration.ofSeconds(60), 1.6, Duration.ofMinutes(2)),
                100 * 1024 * 1024,
                100 * 1024 * 1024));
    slowA.start(0);
    b.start(0);
    slowA.membership.configure(CHANNEL, List.of(b.asRemote()));
    b.membership.configure(CHANNEL, List.of(slowA.asRemote()));
    slowA.client.sendSubmit(CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> b.received.size() == 1);
    int port = b.port;
    b.server.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              slowA.client.sendConsensus(
                  CHANNEL, 2, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
              return slowA.unreachable.contains(2L);
            });
    b.start(port);
    assertThatThrownBy(
            () ->
                slowA.client.sendSubmit(
                    CHANNEL, 2, SubmitRequest.newBuilder().setChannel(CHANNEL).build()))
        .as("the stream to b waits out its backoff")
        .isInstanceOf(ClusterSendException.class)
        .hasMessageContaining("backing off");

    long start = System.nanoTime();
    b.client.sendConsensus(CHANNEL, 1, ConsensusRequest.newBuilder().setChannel(CHANNEL).build());
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(ClusterSendException.class)
        .until(
            () -> {
              slowA.client.sendSubmit(
                  CHANNEL,
                  2,
                  SubmitRequest.newBuilder().setChannel(CHANNEL).setLastValidationSeq(7).build());
              return b.received.stream()
                  .anyMatch(r -> r[1] instanceof SubmitRequest s && s.getLastValidationSeq() == 7);
            });
    System.out.printf(
        "reconnected %d ms after the remote was heard from (backoff 60 s)%n",
        (System.nanoTime() - start) / 1_000_000);
  }
}
