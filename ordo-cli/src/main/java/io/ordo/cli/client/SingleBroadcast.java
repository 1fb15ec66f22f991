package io.ordo.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.ordo.cli.CommandFailedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * One envelope broadcast to one orderer, as {@code peer channel update} sends a config update: the
 * orderer's answer, or one line saying why there is none.
 */
public final class SingleBroadcast {
  private SingleBroadcast() {}

  /**
   * @return the orderer's answer (its status and info)
   * @throws CommandFailedException when it cannot be reached or does not answer within {@code
   *     timeout}
   */
  public static BroadcastResponse send(
      OrdererTarget target, OrdererEndpoint endpoint, Envelope envelope, Duration timeout)
      throws InterruptedException {
    ManagedChannel channel = GrpcChannels.open(endpoint, GrpcChannels.tls(target));
    CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
    try {
      StreamObserver<Envelope> requests =
          AtomicBroadcastGrpc.newStub(channel)
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
                    public void onCompleted() {
                      answer.completeExceptionally(
                          new IllegalStateException("the orderer closed the stream unanswered"));
                    }
                  });
      requests.onNext(envelope);
      BroadcastResponse r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      requests.onCompleted();
      return r;
    } catch (ExecutionException e) {
      throw new CommandFailedException(
          "cannot broadcast to " + endpoint + ": " + GrpcErrors.describe(e.getCause()),
          e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException(
          "orderer " + endpoint + " did not answer the broadcast within " + timeout);
    } finally {
      GrpcChannels.close(channel);
    }
  }
}
