package io.ordo.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
public final class DeliverCall implements AutoCloseable {
  /** The trailers in which an Ordo orderer names the first block it holds, and why. */
  private static final Metadata.Key<String> FIRST_BLOCK =
      Metadata.Key.of("ordo-first-block", Metadata.ASCII_STRING_MARSHALLER);

  private static final Metadata.Key<String> INFO =
      Metadata.Key.of("ordo-info", Metadata.ASCII_STRING_MARSHALLER);

  private final CompletableFuture<Status> finished = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final AtomicReference<Metadata> trailers = new AtomicReference<>();
  private volatile ClientCallStreamObserver<Envelope> requests;

  private DeliverCall() {}

  public static DeliverCall open(ManagedChannel channel, Envelope seek, Consumer<Block> blocks) {
    DeliverCall stream = new DeliverCall();
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
            stream.ended.complete(null);
          }

          @Override
          public void onCompleted() {
            // a server that ends the stream without a status: treat as unavailable
            stream.finished.complete(Status.SERVICE_UNAVAILABLE);
            stream.ended.complete(null);
          }
        };
    AtomicBroadcastGrpc.newStub(channel)
        .withInterceptors(
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), stream.trailers))
        .deliver(responses);
    stream.requests.onNext(seek);
    return stream;
  }

  public CompletableFuture<Status> finished() {
    return finished;
  }

  /**
   * What an Ordo orderer said with a NOT_FOUND for blocks below the first one it holds (it prunes
   * its ledger, or onboarded from a later config block): that block and its sentence; empty from
   * any other answer. Waits a moment for the stream's end, which brings the trailers.
   */
  public Optional<Pruned> pruned() {
    try {
      ended.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // no end: no trailers
    }
    Metadata m = trailers.get();
    if (m == null || m.get(FIRST_BLOCK) == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Pruned(
              Long.parseLong(m.get(FIRST_BLOCK)), Optional.ofNullable(m.get(INFO)).orElse("")));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The first block an orderer holds and its explanation. */
  public record Pruned(long firstBlock, String info) {}

  @Override
  public void close() {
    if (!finished.isDone()) {
      requests.cancel("closed by the client", null);
    }
  }
}
