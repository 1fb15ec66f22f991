package io.ordo.orderer.deliver;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.rpc.Inbound;
import io.ordo.orderer.rpc.PeerLog;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.LoggerFactory;

/** Serves Deliver streams, each request on its own virtual thread. */
public final class DeliverHandler implements AutoCloseable {
  private final SeekRequests requests;
  private final DeliverMetrics metrics;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("deliver-", 0).factory());

  /** Refusals are the client's doing: a line per client host every ten seconds at most. */
  private final PeerLog refusals =
      new PeerLog(LoggerFactory.getLogger(DeliverStream.class), Duration.ofSeconds(10));

  public DeliverHandler(DeliverChannels channels, DeliverOptions options, DeliverMetrics metrics) {
    this.requests = new SeekRequests(channels, options);
    this.metrics = metrics;
  }

  /**
   * Starts one stream; call from the gRPC method handler (it sets up flow control on the call).
   *
   * @param clientCertificate the TLS client certificate of the connection, if any
   */
  public StreamObserver<Inbound<Envelope>> handle(
      StreamObserver<DeliverResponse> responses,
      String remote,
      Optional<X509Certificate> clientCertificate) {
    DeliverStream stream =
        new DeliverStream(
            (ServerCallStreamObserver<DeliverResponse>) responses,
            requests,
            workers,
            metrics,
            refusals,
            remote,
            clientCertificate);
    return Inbound.unwrapping(stream, stream::malformed);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
