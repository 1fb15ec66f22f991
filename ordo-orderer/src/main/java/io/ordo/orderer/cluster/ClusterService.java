package io.ordo.orderer.cluster;

import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.configtx.ChannelIds;
import io.ordo.orderer.rpc.Inbound;
import io.ordo.orderer.rpc.LenientMarshaller;
import io.ordo.orderer.rpc.PeerLog;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of {@code orderer.Cluster/Step}: each request's sender is identified by the
 * public key of the stream's TLS client certificate among the consenters of the request's channel;
 * any failure ends the stream with gRPC status UNKNOWN and Fabric's error text, and bytes that are
 * not a StepRequest end it with INVALID_ARGUMENT. Nothing is ever sent back (etcdraft does not use
 * StepResponse).
 */
final class ClusterService {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);

  private final ClusterMembership membership;
  private final ClusterHandler handler;

  private final CommMetrics metrics;

  /** Refusals are the sender's doing: a line per sender every ten seconds at most. */
  private final PeerLog refusals = new PeerLog(LOG, Duration.ofSeconds(10));

  ClusterService(ClusterMembership membership, ClusterHandler handler, CommMetrics metrics) {
    this.metrics = metrics;
    this.membership = membership;
    this.handler = handler;
  }

  /** The {@code orderer.Cluster} service, its requests read leniently. */
  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(ClusterGrpc.SERVICE_NAME)
        .addMethod(
            LenientMarshaller.lenient(ClusterGrpc.getStepMethod()),
            ServerCalls.asyncBidiStreamingCall(this::step))
        .build();
  }

  private StreamObserver<Inbound<StepRequest>> step(StreamObserver<StepResponse> responses) {
    X509Certificate clientCert = PeerCertificates.CLIENT_CERT.get();
    metrics.ingressOpened();
    return new StreamObserver<>() {
      private boolean closed;
      private boolean counted = true;
      private final Set<String> announced = new HashSet<>();

      private void ended() {
        if (counted) {
          counted = false;
          metrics.ingressClosed();
        }
      }

      @Override
      public void onNext(Inbound<StepRequest> request) {
        if (closed) {
          return;
        }
        if (!request.parsed()) {
          closed = true;
          ended();
          refusals.warn(
              subject(clientCert),
              "cluster stream from " + subject(clientCert) + " ended: " + request.malformed());
          responses.onError(
              Status.INVALID_ARGUMENT
                  .withDescription("malformed StepRequest: " + request.malformed())
                  .asRuntimeException());
          return;
        }
        try {
          dispatch(request.message(), clientCert, announced);
        } catch (RuntimeException e) {
          closed = true;
          ended();
          responses.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
        }
      }

      @Override
      public void onError(Throwable t) {
        ended();
        LOG.debug("cluster stream from {} ended: {}", subject(clientCert), t.toString());
      }

      @Override
      public void onCompleted() {
        ended();
        if (!closed) {
          closed = true;
          responses.onCompleted();
        }
      }
    };
  }

  /**
   * @param announced the channels whose sender this stream has already reported as contacted
   */
  private void dispatch(StepRequest request, X509Certificate clientCert, Set<String> announced) {
    String channel =
        switch (request.getPayloadCase()) {
          case CONSENSUS_REQUEST -> request.getConsensusRequest().getChannel();
          case SUBMIT_REQUEST -> request.getSubmitRequest().getChannel();
          case PAYLOAD_NOT_SET -> "";
        };
    if (channel.isEmpty()) {
      throw new ClusterRequestException("badly formatted message, cannot extract channel");
    }
    ChannelIds.problem(channel)
        .ifPresent(
            problem -> {
              throw new ClusterRequestException("bad channel ID: " + problem);
            });
    if (request.getPayloadCase() == StepRequest.PayloadCase.CONSENSUS_REQUEST
        && (OrdoMarks.flags(request.getConsensusRequest()) & OrdoMarks.PAIR_HEARTBEAT) != 0) {
      pairHeartbeat(channel, clientCert);
      return;
    }
    if (!membership.hasChannel(channel)) {
      throw new ClusterRequestException("channel " + channel + " doesn't exist");
    }
    if (clientCert == null) {
      throw new ClusterRequestException("no TLS certificate sent");
    }
    long sender =
        membership
            .senderOf(channel, clientCert)
            .orElseThrow(
                () -> {
                  refusals.warn(
                      subject(clientCert),
                      "refused cluster stream for channel "
                          + channel
                          + " from "
                          + subject(clientCert)
                          + ": not a consenter's certificate");
                  return new ClusterRequestException(
                      "certificate extracted from TLS connection isn't authorized");
                });
    if (announced.add(channel)) {
      membership.contacted(channel, sender);
    }
    switch (request.getPayloadCase()) {
      // an empty payload only says that the sender is up (Ordo's announce before it sent a
      // raft MsgBeat instead)
      case CONSENSUS_REQUEST -> {
        if (!request.getConsensusRequest().getPayload().isEmpty()) {
          handler.onConsensus(channel, request.getConsensusRequest(), sender);
        }
      }
      case SUBMIT_REQUEST -> handler.onSubmit(channel, request.getSubmitRequest(), sender);
      case PAYLOAD_NOT_SET ->
          throw new ClusterRequestException("message is neither a Submit nor a Consensus request");
    }
  }

  /**
   * A pair heartbeat is only ever sent by an Ordo node: one naming a channel this node has just
   * left, or from a node that is no longer its consenter, is ignored rather than ending a stream
   * every channel of the pair shares.
   */
  private void pairHeartbeat(String channel, X509Certificate clientCert) {
    if (clientCert == null || !membership.hasChannel(channel)) {
      return;
    }
    membership
        .senderOf(channel, clientCert)
        .ifPresent(sender -> handler.onPairHeartbeat(channel, sender));
  }

  private static String subject(X509Certificate cert) {
    return cert == null ? "(no certificate)" : cert.getSubjectX500Principal().getName();
  }
}
