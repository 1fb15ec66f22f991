package io.ordo.orderer.server;

import static io.ordo.orderer.server.TestNetwork.CHANNEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.orderer.cluster.TlsIdentity;
import io.ordo.orderer.replication.PullerIdentity;
import io.ordo.orderer.testing.BroadcastAnswers;
import io.ordo.storage.ledger.BlockLedger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/** Drives a {@link TestNetwork}: broadcasts signed envelopes, waits for leaders and heights. */
final class NetworkClient {
  static final Duration AWAIT = Duration.ofSeconds(60);

  private final TestNetwork network;
  private final LocalSigningIdentity client;
  private final SecureRandom random = new SecureRandom();
  private final Duration await;

  NetworkClient(TestNetwork network) {
    this(network, AWAIT);
  }

  /**
   * @param await bound of every wait
   */
  NetworkClient(TestNetwork network, Duration await) {
    this.network = network;
    this.client = network.client();
    this.await = await;
  }

  /** Waits until every running node knows the same leader of the channel, and returns it. */
  long awaitLeader(List<Integer> nodes) {
    long[] leader = new long[1];
    await()
        .atMost(await)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              long first = network.servers.get(nodes.getFirst()).leaderOf(CHANNEL);
              assertThat(first).isNotZero();
              for (int n : nodes) {
                assertThat(network.servers.get(n).leaderOf(CHANNEL)).isEqualTo(first);
              }
              leader[0] = first;
            });
    return leader[0];
  }

  /**
   * Broadcasts {@code count} envelopes of about {@code payloadBytes} each to {@code node}, in
   * windows so as not to outrun the stream; every answer must be SUCCESS.
   */
  List<String> broadcast(int node, String prefix, int count, int payloadBytes) throws Exception {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    try {
      BroadcastAnswers answers = new BroadcastAnswers();
      List<BroadcastResponse> responses = answers.responses;
      CompletableFuture<Void> done = answers.done;
      StreamObserver<Envelope> stream = AtomicBroadcastGrpc.newStub(ch).broadcast(answers);
      List<String> ids = new ArrayList<>();
      String padding = "x".repeat(Math.max(0, payloadBytes - prefix.length() - 8));
      int window = 200;
      for (int k = 0; k < count; k++) {
        String id = prefix + "-" + k;
        ids.add(id);
        stream.onNext(
            Envelopes.signed(
                HeaderType.ENDORSER_TRANSACTION,
                CHANNEL,
                ByteString.copyFrom(id + " " + padding, StandardCharsets.UTF_8),
                client,
                random,
                Instant.now()));
        int sent = k + 1;
        if (sent % window == 0) {
          await().atMost(await).until(() -> responses.size() >= sent - window / 2 || done.isDone());
        }
      }
      await().atMost(await).until(() -> responses.size() == count || done.isDone());
      stream.onCompleted();
      assertThat(responses)
          .as("broadcast to node %d", node)
          .hasSize(count)
          .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
      return ids;
    } finally {
      ch.shutdownNow();
    }
  }

  /** Broadcasts one envelope to {@code node} and returns the answer's status name and info. */
  String broadcastOne(int node, Envelope envelope) throws Exception {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    try {
      CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
      StreamObserver<Envelope> stream =
          AtomicBroadcastGrpc.newStub(ch)
              .broadcast(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(BroadcastResponse r) {
                      answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                      answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      stream.onNext(envelope);
      BroadcastResponse r = answer.get(await.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      stream.onCompleted();
      return r.getStatus().name() + (r.getInfo().isEmpty() ? "" : ": " + r.getInfo());
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Asks {@code node} over Deliver for blocks {@code from}..{@code to} and returns the final status
   * name (after any blocks), or "(completed)" / the gRPC error when there was none.
   */
  String deliverStatus(int node, long from, long to) throws Exception {
    ManagedChannel ch = network.channelTo(network.servers.get(node).port(), null, null);
    try {
      SeekInfo info =
          SeekInfo.newBuilder()
              .setStart(specified(from))
              .setStop(specified(to))
              .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
              .build();
      CompletableFuture<String> status = new CompletableFuture<>();
      StreamObserver<Envelope> requests =
          AtomicBroadcastGrpc.newStub(ch)
              .deliver(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverResponse r) {
                      if (!r.hasBlock()) {
                        status.complete(r.getStatus().name());
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      status.complete(t.toString());
                    }

                    @Override
                    public void onCompleted() {
                      status.complete("(completed)");
                    }
                  });
      requests.onNext(
          Envelopes.signed(
              HeaderType.DELIVER_SEEK_INFO,
              CHANNEL,
              info.toByteString(),
              client,
              random,
              Instant.now()));
      String answer = status.get(await.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      requests.onCompleted();
      return answer;
    } finally {
      ch.shutdownNow();
    }
  }

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  long height(int node) {
    return network.servers.get(node).registrar().channel(CHANNEL).orElseThrow().height();
  }

  BlockLedger ledger(int node) {
    var registrar = network.servers.get(node).registrar();
    return registrar
        .support(CHANNEL)
        .map(s -> s.ledger())
        .orElseGet(() -> registrar.follower(CHANNEL).orElseThrow().ledger());
  }

  /** Waits until every node has at least the height of the highest. */
  long awaitSameHeight(List<Integer> nodes) {
    long[] h = new long[1];
    await()
        .atMost(await)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              long max = nodes.stream().mapToLong(this::height).max().orElseThrow();
              for (int n : nodes) {
                assertThat(height(n)).as("height of node %d", n).isEqualTo(max);
              }
              h[0] = max;
            });
    return h[0];
  }

  /** Blocks 0..height-1 of a node's ledger. */
  List<Block> blocks(int node) {
    BlockLedger ledger = ledger(node);
    List<Block> out = new ArrayList<>();
    for (long i = 0; i < ledger.height(); i++) {
      out.add(ledger.block(i));
    }
    return out;
  }

  /** Node {@code i}'s cluster client TLS identity and MSP signer, as its block puller uses. */
  PullerIdentity pullerIdentity(int i) {
    var tls = network.ordererTls(i);
    return new PullerIdentity(
        new TlsIdentity(
            TestNetwork.key(tls.resolve("server.key")),
            List.of(TestNetwork.cert(tls.resolve("server.crt")))),
        LocalSigningIdentity.load(tls.getParent().resolve("msp"), "OrdererMSP", Ecdsa.preferred()),
        List.of());
  }
}
