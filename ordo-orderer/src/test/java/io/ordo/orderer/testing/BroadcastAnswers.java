package io.ordo.orderer.testing;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/** The answers of one Broadcast stream, in order, and its end. */
public class BroadcastAnswers implements StreamObserver<BroadcastResponse> {
  public final List<BroadcastResponse> responses = new CopyOnWriteArrayList<>();

  /** Completes when the server ends the stream; exceptionally when it fails. */
  public final CompletableFuture<Void> done = new CompletableFuture<>();

  @Override
  public void onNext(BroadcastResponse r) {
    responses.add(r);
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    done.complete(null);
  }
}
