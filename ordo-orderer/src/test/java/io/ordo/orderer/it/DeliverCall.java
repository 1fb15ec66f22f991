package io.ordo.orderer.it;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * One Deliver request on its own stream: the blocks that came back and the final status (a {@code
 * common.Status} name, or "grpc " and the gRPC code when the stream failed).
 */
final class DeliverCall {
  private final List<Block> blocks = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> status = new CompletableFuture<>();
  private final StreamObserver<Envelope> requests;

  private DeliverCall(ManagedChannel channel, Envelope seek) {
    requests =
        // wait for ready: a channel made while its node was down may still be backing off
        AtomicBroadcastGrpc.newStub(channel)
            .withWaitForReady()
            .deliver(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeliverResponse r) {
                    if (r.hasBlock()) {
                      blocks.add(r.getBlock());
                    } else {
                      status.complete(r.getStatus().name());
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    status.complete("grpc " + Status.fromThrowable(t).getCode());
                  }

                  @Override
                  public void onCompleted() {
                    status.complete("(completed without status)");
                  }
                });
    requests.onNext(seek);
  }

  /** Sends the seek and returns at once; {@link #await} collects the outcome. */
  static DeliverCall start(ManagedChannel channel, Envelope seek) {
    return new DeliverCall(channel, seek);
  }

  /** Sends the seek and waits for its final status. */
  static DeliverCall run(ManagedChannel channel, Envelope seek, Duration timeout) {
    DeliverCall call = start(channel, seek);
    call.await(timeout);
    return call;
  }

  DeliverCall await(Duration timeout) {
    try {
      status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "no Deliver status within " + timeout + " after " + blocks.size() + " blocks", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (status.isDone()) {
        requests.onCompleted();
      }
    }
  }

  boolean finished() {
    return status.isDone();
  }

  /** Ends a call still waiting for blocks. */
  void cancel() {
    requests.onError(Status.CANCELLED.asRuntimeException());
  }

  List<Block> blocks() {
    return List.copyOf(blocks);
  }

  String status() {
    return status.getNow("(pending)");
  }
}
