package io.ordo.orderer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * One Broadcast stream that sends some envelopes and collects what comes back until the server ends
 * the stream or every envelope is answered.
 *
 * @param responses the answers, in order
 * @param end how the stream ended: OK when the server completed it (after a refusal), the gRPC
 *     status when it failed, null when it was still open after every answer
 */
record BroadcastCall(List<BroadcastResponse> responses, Status end) {
  static BroadcastCall send(ManagedChannel channel, List<Envelope> envelopes, Duration timeout) {
    List<BroadcastResponse> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> ended = new CompletableFuture<>();
    CompletableFuture<Void> allAnswered = new CompletableFuture<>();
    StreamObserver<Envelope> requests =
        AtomicBroadcastGrpc.newStub(channel)
            .broadcast(
                new StreamObserver<>() {
                  @Override
                  public void onNext(BroadcastResponse r) {
                    responses.add(r);
                    if (responses.size() == envelopes.size()) {
                      allAnswered.complete(null);
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(Status.OK);
                  }
                });
    envelopes.forEach(requests::onNext);
    try {
      CompletableFuture.anyOf(ended, allAnswered).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended.isDone()) {
        requests.onCompleted();
      }
      return new BroadcastCall(List.copyOf(responses), ended.getNow(null));
    } catch (TimeoutException e) {
      requests.onError(e);
      throw new IllegalStateException(
          "broadcast of "
              + envelopes.size()
              + " got "
              + responses.size()
              + " answers in "
              + timeout,
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends transactions {@code prefix-0} .. {@code prefix-(count-1)} to a node on one stream; every
   * answer must be SUCCESS.
   *
   * @return their ids, in the order sent
   */
  static List<String> allAccepted(
      ProcessCluster cluster,
      SignedRequests requests,
      int node,
      String prefix,
      int count,
      Duration timeout) {
    List<String> ids = new ArrayList<>();
    List<Envelope> envelopes = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      ids.add(prefix + "-" + k);
      envelopes.add(requests.transaction(prefix + "-" + k));
    }
    BroadcastCall call = send(cluster.client(node), envelopes, timeout);
    assertThat(call.responses())
        .as("answers of node %d", node)
        .hasSize(count)
        .allSatisfy(r -> assertThat(r.getStatus().name()).as(r.getInfo()).isEqualTo("SUCCESS"));
    return ids;
  }

  static BroadcastCall send(ManagedChannel channel, Envelope envelope) {
    return send(channel, List.of(envelope), Duration.ofSeconds(15));
  }

  /** The only answer's status and info, "status: info". */
  String single() {
    if (responses.size() != 1) {
      throw new AssertionError("expected one answer, got " + responses + " and end " + end);
    }
    return responses.getFirst().getStatus().name() + ": " + responses.getFirst().getInfo();
  }
}
