package io.ordo.orderer.broadcast;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * The {@code orderer.AtomicBroadcast} gRPC service: Broadcast here, Deliver passed in as {@link
 * DeliverStreams} (so that this package does not depend on {@code deliver}). Register {@link
 * #definition()}, which carries each call's remote address and TLS client certificate.
 */
public final class AtomicBroadcastService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
  /** Opens a Deliver stream. */
  @FunctionalInterface
  public interface DeliverStreams {
    StreamObserver<Envelope> open(
        StreamObserver<DeliverResponse> responses,
        String remote,
        Optional<X509Certificate> clientCertificate);
  }

  private final BroadcastHandler broadcast;
  private final DeliverStreams deliver;

  public AtomicBroadcastService(BroadcastHandler broadcast, DeliverStreams deliver) {
    this.broadcast = broadcast;
    this.deliver = deliver;
  }

  /** The service with the interceptor that exposes the caller's address and certificate. */
  public ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new CallerInterceptor());
  }

  @Override
  public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> responses) {
    return broadcast.handle(responses, CallerInterceptor.REMOTE.get());
  }

  @Override
  public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
    return deliver.open(
        responses,
        CallerInterceptor.REMOTE.get(),
        Optional.ofNullable(CallerInterceptor.CLIENT_CERT.get()));
  }
}
