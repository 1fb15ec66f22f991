package io.ordo.orderer.it;

import static io.ordo.orderer.it.SignedRequests.newest;
import static io.ordo.orderer.it.SignedRequests.nextCommit;
import static io.ordo.orderer.it.SignedRequests.oldest;
import static io.ordo.orderer.it.SignedRequests.specified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.orderer.consensus.etcdraft.CampaignRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One running 3-process cluster shared by the tests of this class: bad input on every listener,
 * every Broadcast status, the Deliver seek variants and behaviours, and cluster streams from
 * certificates that are no consenter's. Each test leaves the cluster running with a leader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveClusterTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final Duration ANSWER = Duration.ofSeconds(15);
  private static final int MAX_RECV = ClusterSettings.threeNodes().maxRecvMsgSize();
  private static final int ABSOLUTE_MAX = ClusterSettings.threeNodes().absoluteMaxBytes();

  private ProcessCluster cluster;
  private SignedRequests member;
  private SignedRequests outsider;
  private Random random;
  private int sequence;
  private int firstLeader;

  @BeforeAll
  void startCluster(@TempDir Path dir) {
    String test = "liveCluster";
    random = TestSeed.forTest(test).random();
    cluster =
        new ProcessCluster(
            dir, ProcessCluster.logDir(getClass(), test), ClusterSettings.threeNodes());
    member = new SignedRequests(cluster.files.member());
    outsider = new SignedRequests(cluster.files.outsider());
    cluster.startAll();
    cluster.joinAll();
    firstLeader = cluster.awaitLeader(AWAIT);
    cluster.ids().forEach(this::awaitServing);
    // a few blocks for the seeks: each round is cut by the batch timeout into its own block
    for (int round = 0; round < 3; round++) {
      long before = cluster.height(1).orElseThrow();
      assertAllSuccess(1 + round % 3, 5);
      await().atMost(AWAIT).until(() -> cluster.height(1).orElse(0) > before);
    }
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theNodeTheSha256OfTheChannelPicksLeadsFirst() {
    assertThat(firstLeader)
        .isEqualTo(CampaignRule.campaigner(ClusterFiles.CHANNEL, cluster.size()));
  }

  // ------------------------------------------------------------------ bad input on every listener

  @Test
  void plaintextGarbageOnTheTlsListenersIsDroppedWithAtMostATlsAlertAndTheNodeKeepsServing() {
    int node = 1 + random.nextInt(3);
    NodePorts p = cluster.ports(node);
    byte[] garbage = garbage(2048);
    // A first byte that starts a TLS record makes the rest a record still arriving: that is a
    // stalled client, dropped only at the handshake timeout (the test below).
    garbage[0] = 0;
    byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int port : List.of(p.general(), p.cluster(), p.admin())) {
      for (byte[] bytes : List.of(garbage, http)) {
        RawProbe probe = RawProbe.send(port, bytes, Duration.ofSeconds(10));
        assertThat(probe.closed()).as("port %d closed the connection", port).isTrue();
        assertThat(probe.isTlsAlertOrNothing())
            .as("port %d answered %s", port, probe.answerText())
            .isTrue();
      }
    }
    assertAllSuccess(node, 3);
  }

  @Test
  void clientsThatStallBeforeOrDuringTheirRequestAreDroppedAfterTheHandshakeOrRequestTimeout() {
    int node = 1 + random.nextInt(3);
    NodePorts p = cluster.ports(node);
    // a handshake record header promising 32 KB, of which only 100 bytes come
    byte[] partialRecord = garbage(105);
    System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x7f, (byte) 0xff}, 0, partialRecord, 0, 5);
    byte[] partialRequest =
        "GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
    record Stall(String what, int port, byte[] bytes) {}
    List<Stall> stalls = new ArrayList<>();
    for (int port : List.of(p.general(), p.cluster(), p.admin())) {
      stalls.add(new Stall("silent client", port, new byte[0]));
      stalls.add(new Stall("partial TLS record", port, partialRecord));
    }
    stalls.add(new Stall("partial HTTP request", p.operations(), partialRequest));
    // Fabric drops them at 10 s (gRPC handshake, HTTP ReadTimeout); this bound leaves slack
    Duration patience = Duration.ofSeconds(40);
    List<CompletableFuture<RawProbe>> probes =
        stalls.stream()
            .map(
                s ->
                    CompletableFuture.supplyAsync(
                        () -> RawProbe.send(s.port(), s.bytes(), patience),
                        Thread::startVirtualThread))
            .toList();
    for (int i = 0; i < stalls.size(); i++) {
      Stall stall = stalls.get(i);
      RawProbe probe = probes.get(i).join();
      assertThat(probe.closed())
          .as("%s on port %d was still connected after %s", stall.what(), stall.port(), patience)
          .isTrue();
    }
    assertAllSuccess(node, 3);
  }

  @Test
  void garbageAfterTheTlsHandshakeIsDroppedByTheGrpcListenersAndABadRequestForTheAdminOne() {
    int node = 1 + random.nextInt(3);
    NodePorts p = cluster.ports(node);
    SSLContext anonymous = cluster.tls.sslContext(Optional.empty());
    SSLContext consenter = cluster.tls.sslContext(Optional.of(consenterCert(node % 3 + 1)));
    SSLContext admin =
        cluster.tls.sslContext(
            Optional.of(TlsClients.ClientCert.in(cluster.files.ordererAdminTls(), "client")));
    byte[] garbage = garbage(1024);
    RawProbe client =
        RawProbe.sendOverTls(anonymous, p.general(), "h2", garbage, Duration.ofSeconds(10));
    assertThat(client.closed()).as("client port closed the connection").isTrue();
    RawProbe clusterPort =
        RawProbe.sendOverTls(consenter, p.cluster(), "h2", garbage, Duration.ofSeconds(10));
    assertThat(clusterPort.closed()).as("cluster port closed the connection").isTrue();
    RawProbe adminPort =
        RawProbe.sendOverTls(
            admin,
            p.admin(),
            "http/1.1",
            "NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            Duration.ofSeconds(10));
    assertThat(adminPort.answerText()).startsWith("HTTP/1.1 400");
    assertAllSuccess(node, 3);
    assertThat(cluster.height(node)).as("the admin API still answers").isPresent();
  }

  @Test
  void garbageOnTheOperationsListenerIsABadRequestAndItKeepsServing() throws Exception {
    int node = 1 + random.nextInt(3);
    int port = cluster.ports(node).operations();
    byte[] garbageLines = new byte[516];
    System.arraycopy(garbage(512), 0, garbageLines, 0, 512);
    System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, garbageLines, 512, 4);
    RawProbe bytes = RawProbe.send(port, garbageLines, Duration.ofSeconds(10));
    assertThat(bytes.closed()).as("closed after %s", bytes.answerText()).isTrue();
    assertThat(bytes.answer().length == 0 || bytes.answerText().startsWith("HTTP/1.1 400"))
        .as("answer to garbage: %s", bytes.answerText())
        .isTrue();
    RawProbe badLine =
        RawProbe.send(
            port, "NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
    assertThat(badLine.answerText()).startsWith("HTTP/1.1 400");
    HttpRequest badSpec =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logspec"))
            .PUT(HttpRequest.BodyPublishers.ofString("{not json"))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThat(http.send(badSpec, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(400);
      HttpResponse<String> spec =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logspec")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(spec.body().strip()).isEqualTo("{\"spec\":\"info\"}");
    }
    assertThat(cluster.isLeader(node)).as("/metrics still answers").isPresent();
  }

  @Test
  void broadcastMessagesOverMaxRecvMsgSizeAreRefusedByTheTransportAndTheNodeKeepsServing() {
    int node = 1 + random.nextInt(3);
    BroadcastCall call =
        BroadcastCall.send(cluster.client(node), List.of(sized(MAX_RECV + 1024)), ANSWER);
    assertThat(call.responses()).isEmpty();
    assertThat(call.end().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertAllSuccess(node, 3);
  }

  @Test
  void clusterMessagesOverMaxRecvMsgSizeAreRefusedByTheTransportAndTheClusterKeepsOrdering() {
    int node = 1 + random.nextInt(3);
    int other = node % 3 + 1;
    Status end =
        step(
            node,
            Optional.of(consenterCert(other)),
            StepRequest.newBuilder()
                .setConsensusRequest(
                    ConsensusRequest.newBuilder()
                        .setChannel(ClusterFiles.CHANNEL)
                        .setPayload(ByteString.copyFrom(garbage(MAX_RECV + 1024))))
                .build());
    assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertAllSuccess(node, 3);
  }

  @Test
  void aClusterStreamForAChannelTheNodeDoesNotHaveIsRefusedNamingTheChannel() {
    int node = 1 + random.nextInt(3);
    Status end =
        step(
            node,
            Optional.of(consenterCert(node % 3 + 1)),
            StepRequest.newBuilder()
                .setConsensusRequest(
                    ConsensusRequest.newBuilder()
                        .setChannel("nosuchchannel")
                        .setPayload(ByteString.EMPTY))
                .build());
    assertThat(end.getCode()).isNotEqualTo(Status.Code.OK);
    assertThat(end.getDescription()).contains("nosuchchannel");
    assertAllSuccess(node, 3);
  }

  @Test
  void aClusterStreamFromACertificateThatIsNoConsentersIsRefused() {
    int node = 1 + random.nextInt(3);
    StepRequest request =
        StepRequest.newBuilder()
            .setConsensusRequest(
                ConsensusRequest.newBuilder()
                    .setChannel(ClusterFiles.CHANNEL)
                    .setPayload(ByteString.EMPTY))
            .build();
    // the orderer org admin's TLS certificate: issued by the trusted TLS CA, yet no consenter's
    Status foreign =
        step(
            node,
            Optional.of(TlsClients.ClientCert.in(cluster.files.ordererAdminTls(), "client")),
            request);
    assertThat(foreign.getCode()).isNotEqualTo(Status.Code.OK);
    assertThat(foreign.getDescription())
        .isEqualTo("certificate extracted from TLS connection isn't authorized");
    // no client certificate at all: the mutual TLS handshake fails
    Status anonymous = step(node, Optional.empty(), request);
    assertThat(anonymous.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertAllSuccess(node, 3);
  }

  @Test
  void badJoinRequestsOnTheAdminListenerAreAnsweredWithFabricsStatusesAndTexts() throws Exception {
    int node = 1 + random.nextInt(3);
    byte[] block = cluster.files.genesis.toByteArray();
    assertError(
        cluster.join(
            node, new JoinRequest("application/json", "{}".getBytes(StandardCharsets.UTF_8))),
        400,
        "unsupported Content-Type: [application/json]");
    assertError(
        cluster.join(node, JoinRequest.garbledMultipart(garbage(300))),
        400,
        "cannot read form from request body");
    assertError(
        cluster.join(node, JoinRequest.multipart(JoinRequest.part("other", "x.block", block))),
        400,
        "form does not contains part key: config-block");
    assertError(
        cluster.join(
            node,
            JoinRequest.multipart(
                JoinRequest.part("config-block", "a.block", block),
                JoinRequest.part("extra", "b.block", block))),
        400,
        "form contains too many parts");
    assertError(
        cluster.join(node, JoinRequest.of("not a block".getBytes(StandardCharsets.UTF_8))),
        400,
        "cannot unmarshal file part config-block into a block");
    assertError(cluster.join(node, JoinRequest.of(block)), 405, "cannot join: ");
    assertError(
        cluster.join(node, JoinRequest.of(new byte[1024 * 1024 + 1024])),
        400,
        "cannot read form from request body: http: request body too large");
    // without the client certificate the admin listener refuses the TLS handshake
    try (HttpClient anonymous = cluster.tls.https(Optional.empty())) {
      HttpRequest list =
          HttpRequest.newBuilder(cluster.adminUri(node, "/participation/v1/channels")).build();
      assertThatThrownBy(() -> anonymous.send(list, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
    assertThat(cluster.height(node)).as("the channel is still served").isPresent();
    assertAllSuccess(node, 3);
  }

  // ------------------------------------------------------------------ Broadcast statuses

  @Test
  void everyBroadcastRefusalOfALiveNodeHasFabricsStatusAndEndsTheStream() {
    int node = 1 + random.nextInt(3);
    ManagedChannel ch = cluster.client(node);
    Envelope valid = member.transaction(nextId());
    Envelope unsigned = valid.toBuilder().clearSignature().build();
    Envelope garbled = Envelope.newBuilder().setPayload(ByteString.copyFrom(garbage(64))).build();
    Envelope config =
        Envelopes.signed(
            HeaderType.CONFIG,
            ClusterFiles.CHANNEL,
            ByteString.EMPTY,
            cluster.files.member(),
            new SecureRandom(),
            Instant.now());

    assertThat(single(ch, member.transaction("nosuchchannel", nextId())))
        .isEqualTo("BAD_REQUEST: channel does not exist");
    assertThat(single(ch, garbled)).startsWith("BAD_REQUEST: ").contains("channel ID");
    assertThat(single(ch, config))
        .isEqualTo("BAD_REQUEST: message is of type that cannot be processed directly");
    assertThat(single(ch, sized(ABSOLUTE_MAX + 1024)))
        .startsWith("BAD_REQUEST: message payload is ")
        .endsWith("exceeds maximum allowed " + ABSOLUTE_MAX + " bytes");
    assertThat(single(ch, unsigned)).startsWith("FORBIDDEN: ");
    assertThat(single(ch, outsider.transaction(nextId()))).startsWith("FORBIDDEN: ");

    // the stream ends after a refusal: what follows it is never answered
    BroadcastCall refusedFirst =
        BroadcastCall.send(
            ch,
            List.of(unsigned, member.transaction(nextId()), member.transaction(nextId())),
            ANSWER);
    assertThat(refusedFirst.responses()).hasSize(1);
    assertThat(refusedFirst.end().getCode()).isEqualTo(Status.Code.OK);
    assertAllSuccess(node, 3);
  }

  @Test
  void withoutAQuorumANodeAnswersServiceUnavailableAndDeliverIsUnavailableUnlessBestEffort() {
    int lonely = 1 + random.nextInt(3);
    List<Integer> stopped = cluster.ids().stream().filter(i -> i != lonely).toList();
    stopped.forEach(cluster::stop);
    try {
      // a follower first forwards to the stopped leader and fails; once it knows no leader it
      // holds an envelope for a while (7 s) before it refuses it, and its chain is errored
      await()
          .atMost(AWAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> single(cluster.client(lonely), member.transaction(nextId())),
              answer -> answer.startsWith("SERVICE_UNAVAILABLE: no Raft leader"));
      SeekInfo strict = SeekInfo.newBuilder().setStart(oldest()).setStop(specified(0)).build();
      assertThat(deliver(lonely, member.seek(ClusterFiles.CHANNEL, strict)).status())
          .isEqualTo("SERVICE_UNAVAILABLE");
      DeliverCall bestEffort =
          deliver(
              lonely,
              member.seek(
                  ClusterFiles.CHANNEL,
                  strict.toBuilder()
                      .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
                      .build()));
      assertThat(bestEffort.status()).isEqualTo("SUCCESS");
      assertThat(bestEffort.blocks()).hasSize(1);
    } finally {
      stopped.forEach(cluster::start);
      cluster.awaitLeader(AWAIT);
      cluster.ids().forEach(this::awaitServing);
    }
    assertAllSuccess(lonely, 3);
  }

  // ------------------------------------------------------------------ Deliver seeks

  @Test
  void deliverSeekVariantsAndBehavioursOnALiveNode() {
    int node = 1 + random.nextInt(3);
    long height = cluster.awaitSameHeight(cluster.ids(), Duration.ofMillis(500), AWAIT);
    var blockUntilReady = SeekInfo.SeekBehavior.BLOCK_UNTIL_READY;
    var failIfNotReady = SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;

    DeliverCall range = deliver(node, member.seek(oldest(), specified(2), blockUntilReady));
    assertThat(range.status()).isEqualTo("SUCCESS");
    assertThat(numbers(range)).containsExactly(0L, 1L, 2L);

    DeliverCall latest = deliver(node, member.seek(newest(), newest(), failIfNotReady));
    assertThat(latest.status()).isEqualTo("SUCCESS");
    assertThat(numbers(latest)).containsExactly(height - 1);

    DeliverCall one = deliver(node, member.seek(specified(1), oldest(), failIfNotReady));
    assertThat(numbers(one)).containsExactly(1L);

    assertThat(
            deliver(node, member.seek(specified(height), specified(height), failIfNotReady))
                .status())
        .isEqualTo("NOT_FOUND");
    assertThat(
            deliver(
                    node,
                    member.seek(specified(height + 5), specified(height + 5), blockUntilReady))
                .status())
        .isEqualTo("NOT_FOUND");
    assertThat(deliver(node, member.seek(specified(2), specified(1), blockUntilReady)).status())
        .isEqualTo("BAD_REQUEST");
    assertThat(
            deliver(
                    node,
                    member.seek(
                        ClusterFiles.CHANNEL, SeekInfo.newBuilder().setStop(newest()).build()))
                .status())
        .isEqualTo("BAD_REQUEST");
    assertThat(
            deliver(
                    node,
                    member.seek(
                        "nosuchchannel",
                        SeekInfo.newBuilder().setStart(oldest()).setStop(newest()).build()))
                .status())
        .isEqualTo("NOT_FOUND");
    assertThat(deliver(node, outsider.seek(oldest(), newest(), blockUntilReady)).status())
        .isEqualTo("FORBIDDEN");
    Envelope unsignedSeek =
        member.seek(oldest(), newest(), blockUntilReady).toBuilder().clearSignature().build();
    assertThat(deliver(node, unsignedSeek).status()).isEqualTo("FORBIDDEN");
    assertThat(
            deliver(
                    node,
                    Envelope.newBuilder().setPayload(ByteString.copyFrom(garbage(32))).build())
                .status())
        .isEqualTo("BAD_REQUEST");

    // waiting seeks: specified(height) and next-commit both get the next block once it is written
    DeliverCall waitingSpecified =
        DeliverCall.start(
            cluster.client(node),
            member.seek(specified(height), specified(height), blockUntilReady));
    DeliverCall waitingNext =
        DeliverCall.start(
            cluster.client(node), member.seek(nextCommit(), nextCommit(), blockUntilReady));
    assertThat(waitingSpecified.finished()).isFalse();
    assertAllSuccess(node % 3 + 1, 2);
    waitingSpecified.await(AWAIT);
    assertThat(waitingSpecified.status()).isEqualTo("SUCCESS");
    assertThat(numbers(waitingSpecified)).containsExactly(height);
    await().atMost(AWAIT).until(() -> !waitingNext.blocks().isEmpty());
    assertThat(waitingNext.blocks().getFirst().getHeader().getNumber()).isEqualTo(height);
    waitingNext.cancel();
  }

  // ------------------------------------------------------------------ helpers

  private String nextId() {
    return "live-" + sequence++;
  }

  /** Waits until the node accepts a transaction: it is up and knows the leader. */
  private void awaitServing(int node) {
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> single(cluster.client(node), member.transaction(nextId())),
            answer -> answer.startsWith("SUCCESS"));
  }

  private void assertAllSuccess(int node, int count) {
    List<Envelope> envs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      envs.add(member.transaction(nextId()));
    }
    BroadcastCall call = BroadcastCall.send(cluster.client(node), envs, ANSWER);
    assertThat(call.responses())
        .as("broadcast to node %d (end %s)", node, call.end())
        .hasSize(count)
        .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
  }

  private static String single(ManagedChannel ch, Envelope env) {
    return BroadcastCall.send(ch, env).single();
  }

  private DeliverCall deliver(int node, Envelope seek) {
    return DeliverCall.run(cluster.client(node), seek, ANSWER);
  }

  private static List<Long> numbers(DeliverCall call) {
    return call.blocks().stream().map(b -> b.getHeader().getNumber()).toList();
  }

  /** A valid transaction whose envelope is about {@code bytes} long. */
  private Envelope sized(int bytes) {
    String id = nextId() + "-" + "x".repeat(bytes);
    return member.transaction(id);
  }

  private byte[] garbage(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private TlsClients.ClientCert consenterCert(int node) {
    return TlsClients.ClientCert.in(cluster.files.ordererTls(node), "server");
  }

  /** Opens a Step stream to a node's cluster port, sends one request, returns how it ended. */
  private Status step(int node, Optional<TlsClients.ClientCert> cert, StepRequest request) {
    ManagedChannel ch = cluster.channel(cluster.ports(node).cluster(), cert);
    CompletableFuture<Status> ended = new CompletableFuture<>();
    StreamObserver<StepRequest> requests =
        ClusterGrpc.newStub(ch)
            .step(
                new StreamObserver<>() {
                  @Override
                  public void onNext(StepResponse value) {}

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(Status.OK);
                  }
                });
    requests.onNext(request);
    try {
      return ended.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "no end of the Step stream to node " + node + " within " + ANSWER, e);
    } finally {
      ch.shutdownNow();
    }
  }

  private static void assertError(HttpResponse<String> r, int status, String errorPrefix) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"error\":\"" + errorPrefix);
  }
}
