package io.ordo.orderer.broadcast;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.ordo.orderer.rpc.CallTrailers;
import io.ordo.orderer.rpc.Inbound;
import io.ordo.orderer.rpc.LenientMarshaller;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;

/**
 * The {@code orderer.AtomicBroadcast} gRPC service: Broadcast here, Deliver passed in as {@link
 * DeliverStreams} (so that this package does not depend on {@code deliver}). Requests are read
 * leniently: bytes that are not an Envelope reach the streams as malformed requests, which they
 * answer with BAD_REQUEST. Register {@link #definition()}, which carries each call's remote address
 * and TLS client certificate.
 */
public final class AtomicBroadcastService {
  /** Opens a Deliver stream. */
  @FunctionalInterface
  public interface DeliverStreams {
    StreamObserver<Inbound<Envelope>> open(
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

  /**
   * The service with the interceptors that expose the caller's address and certificate and let a
   * stream add trailers to its call.
   */
  public ServerServiceDefinition definition() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(AtomicBroadcastGrpc.SERVICE_NAME)
            .addMethod(
                LenientMarshaller.lenient(AtomicBroadcastGrpc.getBroadcastMethod()),
                ServerCalls.asyncBidiStreamingCall(this::broadcast))
            .addMethod(
                LenientMarshaller.lenient(AtomicBroadcastGrpc.getDeliverMethod()),
                ServerCalls.asyncBidiStreamingCall(this::deliver))
            .build();
    return ServerInterceptors.intercept(service, new CallerInterceptor(), new CallTrailers());
  }

  private StreamObserver<Inbound<Envelope>> broadcast(StreamObserver<BroadcastResponse> responses) {
    return broadcast.handle(
        responses,
        CallerInterceptor.REMOTE.get(),
        Optional.ofNullable(CallerInterceptor.CLIENT_CERT.get()));
  }

  private StreamObserver<Inbound<Envelope>> deliver(StreamObserver<DeliverResponse> responses) {
    return deliver.open(
        responses,
        CallerInterceptor.REMOTE.get(),
        Optional.ofNullable(CallerInterceptor.CLIENT_CERT.get()));
  }
}
