package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.genesis.GenesisBlocks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's malformed input: more than 2,000 requests that no correct client or orderer
 * sends, to the Broadcast, Deliver, cluster Step and admin services of a cluster under load:
 * crafted channel IDs (paths up and out, absolute paths, upper case, slashes, very long, control
 * characters, seeded random ones), bytes that are no protobuf message, messages over the size
 * limits and broken multipart join bodies. Each must be refused with the service's own status,
 * never INTERNAL or UNKNOWN, never left unanswered; the cluster must keep ordering, lose nothing
 * acknowledged and log no stack trace, and each node's log must stay short (refusals are logged at
 * most once per peer and interval).
 */
@Tag("faults")
class MalformedInputFaultsTest {
  private static final Duration ANSWER = Duration.ofSeconds(15);

  /** Bigger than General.MaxRecvMsgSize (1 MiB in these clusters). */
  private static final int OVERSIZED = 2 * 1024 * 1024;

  /** The log lines a node may write for the whole barrage. */
  private static final int LOG_LINES_BOUND = 100;

  @TempDir Path dir;
  private FaultMatrix matrix;
  private final Map<String, Map<String, Integer>> tally = new TreeMap<>();
  private final List<String> wrong = new ArrayList<>();
  private int sent;

  @AfterEach
  void stopCluster() {
    if (matrix != null) {
      matrix.close();
    }
  }

  @Test
  @Tag("faults-short")
  void moreThanTwoThousandMalformedInputsAreRefusedAndTheClusterOrdersOn() {
    matrix = new FaultMatrix(dir, getClass(), "malformedInputs", ClusterSettings.threeNodes());
    matrix.start();
    FaultScenario s = matrix.scenario("malformed-inputs");
    Random random = matrix.random;
    List<Integer> nodes = matrix.cluster.ids();
    Map<Integer, Long> marks = new HashMap<>();
    nodes.forEach(n -> marks.put(n, matrix.cluster.logSize(n)));
    s.fault("2,000+ malformed inputs to every service of every node", () -> barrage(random));
    s.awaitNextBlock();

    tally.forEach((kind, answers) -> System.out.printf("malformedInputs: %s: %s%n", kind, answers));
    System.out.printf("malformedInputs: %d inputs sent%n", sent);
    assertThat(sent).as("inputs sent").isGreaterThanOrEqualTo(2000);
    assertThat(wrong).as("inputs answered otherwise than refused").isEmpty();
    for (int n : nodes) {
      long lines = matrix.cluster.logSince(n, marks.get(n)).lines().count();
      System.out.printf("malformedInputs: node %d logged %d lines for the barrage%n", n, lines);
      assertThat(lines).as("log lines of node %d", n).isLessThanOrEqualTo(LOG_LINES_BOUND);
    }
    s.finish();
  }

  private void barrage(Random random) {
    ProcessCluster cluster = matrix.cluster;
    List<Integer> nodes = cluster.ids();
    Map<Integer, ManagedChannel> stepChannels = new HashMap<>();
    for (int n : nodes) {
      int sender = n % nodes.size() + 1; // a consenter's certificate, so that Step reads the input
      stepChannels.put(
          n,
          cluster.channel(
              cluster.ports(n).cluster(),
              Optional.of(TlsClients.ClientCert.in(cluster.files.ordererTls(sender), "server"))));
    }
    var broadcast = RawGrpc.raw(AtomicBroadcastGrpc.getBroadcastMethod());
    var deliver = RawGrpc.raw(AtomicBroadcastGrpc.getDeliverMethod());
    var step = RawGrpc.raw(ClusterGrpc.getStepMethod());
    int k = 0;

    // bytes that are no protobuf message, or a message of the wrong kind
    for (int i = 0; i < 400; i++, k++) {
      int n = nodes.get(k % nodes.size());
      byte[] bytes =
          i % 2 == 0 ? HostileInputs.unparseable(random, 600) : HostileInputs.garbage(random, 600);
      broadcastAnswer("Broadcast garbage", cluster.client(n), broadcast, bytes);
      deliverAnswer("Deliver garbage", cluster.client(n), deliver, bytes);
    }
    for (int i = 0; i < 300; i++, k++) {
      int n = nodes.get(k % nodes.size());
      byte[] bytes =
          i % 2 == 0 ? HostileInputs.unparseable(random, 600) : HostileInputs.garbage(random, 600);
      stepAnswer("Step garbage", stepChannels.get(n), step, bytes);
    }
    // raft payloads that are no raft message, for the channel the nodes run
    for (int i = 0; i < 100; i++, k++) {
      int n = nodes.get(k % nodes.size());
      StepRequest r =
          StepRequest.newBuilder()
              .setConsensusRequest(
                  ConsensusRequest.newBuilder()
                      .setChannel(ClusterFiles.CHANNEL)
                      .setPayload(ByteString.copyFrom(HostileInputs.unparseable(random, 300))))
              .build();
      stepAnswer(
          "Step consensus, garbage raft message", stepChannels.get(n), step, r.toByteArray());
    }

    // crafted channel IDs, at every service
    Block genesis = cluster.files.genesis;
    for (String id : HostileInputs.channelIds(random, 80)) {
      int n = nodes.get(k++ % nodes.size());
      Envelope tx = matrix.requests.transaction(id, "crafted-" + k);
      broadcastAnswer(
          "Broadcast crafted channel ID", cluster.client(n), broadcast, tx.toByteArray());
      Envelope seek =
          matrix.requests.seek(
              id,
              SeekInfo.newBuilder()
                  .setStart(SignedRequests.oldest())
                  .setStop(SignedRequests.newest())
                  .build());
      deliverAnswer("Deliver crafted channel ID", cluster.client(n), deliver, seek.toByteArray());
      stepAnswer(
          "Step consensus crafted channel ID",
          stepChannels.get(n),
          step,
          StepRequest.newBuilder()
              .setConsensusRequest(ConsensusRequest.newBuilder().setChannel(id))
              .build()
              .toByteArray());
      stepAnswer(
          "Step submit crafted channel ID",
          stepChannels.get(n),
          step,
          StepRequest.newBuilder()
              .setSubmitRequest(SubmitRequest.newBuilder().setChannel(id).setPayload(tx))
              .build()
              .toByteArray());
      if (!id.isEmpty()) { // the empty ID is the URL of the channel list itself
        adminAnswer("admin GET crafted channel ID", n, "GET", id, s -> s == 400 || s == 404);
        adminAnswer("admin DELETE crafted channel ID", n, "DELETE", id, s -> s == 400 || s == 404);
      }
      Block crafted =
          GenesisBlocks.create(
              id,
              ChannelConfigLoader.configOf(genesis).getChannelGroup(),
              new SecureRandom(),
              Instant.now());
      joinAnswer("admin join crafted channel ID", n, JoinRequest.of(crafted.toByteArray()));
    }

    // join bodies that are no multipart form with one config block
    byte[] block = genesis.toByteArray();
    for (int i = 0; i < 300; i++, k++) {
      int n = nodes.get(k % nodes.size());
      joinAnswer("admin join bad body", n, badJoin(i, random, block));
    }

    // over the size limits
    for (int i = 0; i < 5; i++, k++) {
      int n = nodes.get(k % nodes.size());
      byte[] huge = new byte[OVERSIZED];
      random.nextBytes(huge);
      broadcastAnswer("Broadcast over MaxRecvMsgSize", cluster.client(n), broadcast, huge);
      deliverAnswer("Deliver over MaxRecvMsgSize", cluster.client(n), deliver, huge);
      stepAnswer("Step over MaxRecvMsgSize", stepChannels.get(n), step, huge);
      byte[] payload = new byte[cluster.files.settings.absoluteMaxBytes() + 1024];
      random.nextBytes(payload);
      Envelope big =
          matrix.requests.transaction(
              ClusterFiles.CHANNEL, new String(payload, StandardCharsets.ISO_8859_1));
      broadcastAnswer(
          "Broadcast over AbsoluteMaxBytes", cluster.client(n), broadcast, big.toByteArray());
      joinAnswer("admin join over MaxRequestBodySize", n, JoinRequest.of(huge));
    }
  }

  /** The {@code i}th broken join body: each kind in turn, with seeded random content. */
  private static JoinRequest badJoin(int i, Random random, byte[] block) {
    return switch (i % 6) {
      case 0 -> JoinRequest.garbledMultipart(HostileInputs.garbage(random, 2000));
      case 1 -> JoinRequest.of(HostileInputs.garbage(random, 2000));
      case 2 -> JoinRequest.multipart(JoinRequest.part("other-part", "config.block", block));
      case 3 -> {
        byte[] whole = JoinRequest.of(block).body();
        byte[] cut = Arrays.copyOf(whole, random.nextInt(whole.length));
        yield JoinRequest.garbledMultipart(cut);
      }
      case 4 -> new JoinRequest("text/plain", block);
      default -> {
        byte[] mutated = block.clone();
        for (int f = 0; f < 1 + random.nextInt(4); f++) {
          mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
        }
        yield JoinRequest.of(mutated);
      }
    };
  }

  private static final Set<String> REFUSED = Set.of("BAD_REQUEST", "NOT_FOUND", "FORBIDDEN");

  /** A transport refusal the gRPC layer gives for what it cannot take. */
  private static final Set<Status.Code> TRANSPORT_REFUSALS =
      Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);

  private void broadcastAnswer(
      String kind,
      ManagedChannel ch,
      MethodDescriptor<byte[], BroadcastResponse> method,
      byte[] request) {
    RawGrpc.Answer<BroadcastResponse> a = RawGrpc.exchange(ch, method, request, ANSWER);
    String answer =
        a.responses().isEmpty() ? "grpc " + a.code() : a.responses().getFirst().getStatus().name();
    count(
        kind,
        answer,
        a.responses().isEmpty()
            ? TRANSPORT_REFUSALS.contains(a.code())
            : a.responses().size() == 1 && REFUSED.contains(answer),
        a.status().getDescription());
  }

  private void deliverAnswer(
      String kind,
      ManagedChannel ch,
      MethodDescriptor<byte[], DeliverResponse> method,
      byte[] request) {
    RawGrpc.Answer<DeliverResponse> a = RawGrpc.exchange(ch, method, request, ANSWER);
    String answer =
        a.responses().isEmpty() ? "grpc " + a.code() : a.responses().getLast().getStatus().name();
    count(
        kind,
        answer,
        a.responses().isEmpty()
            ? TRANSPORT_REFUSALS.contains(a.code())
            : a.responses().size() == 1 && REFUSED.contains(answer),
        a.status().getDescription());
  }

  /**
   * The cluster service ends a stream it cannot read with INVALID_ARGUMENT, one it refuses with
   * UNKNOWN and Fabric's error text (as Fabric's Go service, whose plain errors gRPC sends as
   * UNKNOWN), or reads nothing it can act on and completes; never INTERNAL, an UNKNOWN without a
   * reason, or a stream left hanging.
   */
  private void stepAnswer(
      String kind,
      ManagedChannel ch,
      MethodDescriptor<byte[], StepResponse> method,
      byte[] request) {
    RawGrpc.Answer<?> a = RawGrpc.exchange(ch, method, request, ANSWER);
    Status.Code c = a.code();
    count(
        kind,
        "grpc " + c + (c == Status.Code.UNKNOWN ? ": " + refusalKind(a.status()) : ""),
        a.responses().isEmpty()
                && Set.of(
                        Status.Code.OK,
                        Status.Code.INVALID_ARGUMENT,
                        Status.Code.NOT_FOUND,
                        Status.Code.PERMISSION_DENIED,
                        Status.Code.FAILED_PRECONDITION,
                        Status.Code.RESOURCE_EXHAUSTED)
                    .contains(c)
            || (c == Status.Code.UNKNOWN && a.status().getDescription() != null),
        a.status().getDescription());
  }

  private void adminAnswer(
      String kind, int node, String method, String id, Predicate<Integer> expected) {
    HttpResponse<String> r =
        matrix.cluster.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://127.0.0.1:"
                            + matrix.cluster.ports(node).admin()
                            + "/participation/v1/channels/"
                            + percentEncoded(id)))
                .timeout(ANSWER)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    count(kind, "HTTP " + r.statusCode(), expected.test(r.statusCode()), r.body());
  }

  private void joinAnswer(String kind, int node, JoinRequest request) {
    HttpResponse<String> r = matrix.cluster.join(node, request);
    int c = r.statusCode();
    count(kind, "HTTP " + c, c == 400 || c == 413 || c == 405 || c == 415, r.body());
  }

  private void count(String kind, String answer, boolean refused, String detail) {
    sent++;
    tally.computeIfAbsent(kind, x -> new TreeMap<>()).merge(answer, 1, Integer::sum);
    if (!refused && wrong.size() < 20) {
      wrong.add(kind + ": " + answer + " (" + detail + ")");
    }
  }

  /** Fabric's error text without the channel ID and node, which vary: what the tally counts by. */
  private static String refusalKind(Status s) {
    String d = String.valueOf(s.getDescription());
    return d.replaceAll("(?s)channel ID: '.*'", "channel ID: '…'")
        .replaceAll("(?s)channel .* doesn't exist", "channel … doesn't exist")
        .replaceAll("request from \\d+", "request from …");
  }

  /** Every byte of the ID's UTF-8 percent-encoded, but letters, digits, '-' and '_'. */
  private static String percentEncoded(String id) {
    StringBuilder b = new StringBuilder();
    for (byte x : id.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xff));
      }
    }
    return b.toString();
  }
}
