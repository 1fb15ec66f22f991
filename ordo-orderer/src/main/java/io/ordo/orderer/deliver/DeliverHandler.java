package io.ordo.orderer.deliver;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/** Serves Deliver streams, each request on its own virtual thread. */
public final class DeliverHandler implements AutoCloseable {
  private final SeekRequests requests;
  private final DeliverMetrics metrics;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("deliver-", 0).factory());

  public DeliverHandler(DeliverChannels channels, DeliverOptions options, DeliverMetrics metrics) {
    this.requests = new SeekRequests(channels, options);
    this.metrics = metrics;
  }

  /**
   * Starts one stream; call from the gRPC method handler (it sets up flow control on the call).
   *
   * @param clientCertificate the TLS client certificate of the connection, if any
   */
  public StreamObserver<Envelope> handle(
      StreamObserver<DeliverResponse> responses,
      String remote,
      Optional<X509Certificate> clientCertificate) {
    return new DeliverStream(
        (ServerCallStreamObserver<DeliverResponse>) responses,
        requests,
        workers,
        metrics,
        remote,
        clientCertificate);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
