package io.ordo.cli.orderer;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * One Deliver call: sends a signed SeekInfo envelope and hands each block to a listener, on gRPC's
 * thread, in order. {@link #finished()} completes with the final status the orderer sends, or
 * exceptionally with a {@link StatusRuntimeException} when the call fails.
 */
public final class DeliverStream implements AutoCloseable {
  private final CompletableFuture<Status> finished = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<Envelope> requests;

  private DeliverStream() {}

  public static DeliverStream open(ManagedChannel channel, Envelope seek, Consumer<Block> blocks) {
    DeliverStream stream = new DeliverStream();
    ClientResponseObserver<Envelope, DeliverResponse> responses =
        new ClientResponseObserver<>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Envelope> call) {
            stream.requests = call;
          }

          @Override
          public void onNext(DeliverResponse r) {
            if (r.hasBlock()) {
              try {
                blocks.accept(r.getBlock());
              } catch (RuntimeException e) {
                stream.finished.completeExceptionally(e);
                stream.requests.cancel("the block listener failed", e);
              }
            } else {
              stream.finished.complete(r.getStatus());
            }
          }

          @Override
          public void onError(Throwable t) {
            stream.finished.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            // a server that ends the stream without a status: treat as unavailable
            stream.finished.complete(Status.SERVICE_UNAVAILABLE);
          }
        };
    AtomicBroadcastGrpc.newStub(channel).deliver(responses);
    stream.requests.onNext(seek);
    return stream;
  }

  public CompletableFuture<Status> finished() {
    return finished;
  }

  @Override
  public void close() {
    if (!finished.isDone()) {
      requests.cancel("closed by the client", null);
    }
  }
}
