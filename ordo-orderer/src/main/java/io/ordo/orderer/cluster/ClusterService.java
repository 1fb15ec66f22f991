package io.ordo.orderer.cluster;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import org.hyperledger.fabric.protos.orderer.ClusterGrpc;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of {@code orderer.Cluster/Step}: each request's sender is identified by the
 * public key of the stream's TLS client certificate among the consenters of the request's channel;
 * any failure ends the stream with gRPC status UNKNOWN and Fabric's error text. Nothing is ever
 * sent back (etcdraft does not use StepResponse).
 */
final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);

  private final ClusterMembership membership;
  private final ClusterHandler handler;

  ClusterService(ClusterMembership membership, ClusterHandler handler) {
    this.membership = membership;
    this.handler = handler;
  }

  @Override
  public StreamObserver<StepRequest> step(StreamObserver<StepResponse> responses) {
    X509Certificate clientCert = PeerCertificates.CLIENT_CERT.get();
    return new StreamObserver<>() {
      private boolean closed;
      private boolean heard;

      @Override
      public void onNext(StepRequest request) {
        if (closed) {
          return;
        }
        try {
          long sender = dispatch(request, clientCert);
          if (!heard) {
            heard = true;
            handler.heardFrom(channelOf(request), sender);
          }
        } catch (RuntimeException e) {
          closed = true;
          responses.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
        }
      }

      @Override
      public void onError(Throwable t) {
        LOG.debug("cluster stream from {} ended: {}", subject(clientCert), t.toString());
      }

      @Override
      public void onCompleted() {
        if (!closed) {
          closed = true;
          responses.onCompleted();
        }
      }
    };
  }

  private static String channelOf(StepRequest request) {
    return switch (request.getPayloadCase()) {
      case CONSENSUS_REQUEST -> request.getConsensusRequest().getChannel();
      case SUBMIT_REQUEST -> request.getSubmitRequest().getChannel();
      case PAYLOAD_NOT_SET -> "";
    };
  }

  /** Hands the request to the handler; the raft ID of its sender. */
  private long dispatch(StepRequest request, X509Certificate clientCert) {
    String channel = channelOf(request);
    if (channel.isEmpty()) {
      throw new ClusterRequestException("badly formatted message, cannot extract channel");
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
                  LOG.warn(
                      "refused cluster stream for channel {} from {}: not a consenter's"
                          + " certificate",
                      channel,
                      subject(clientCert));
                  return new ClusterRequestException(
                      "certificate extracted from TLS connection isn't authorized");
                });
    switch (request.getPayloadCase()) {
      case CONSENSUS_REQUEST -> handler.onConsensus(channel, request.getConsensusRequest(), sender);
      case SUBMIT_REQUEST -> handler.onSubmit(channel, request.getSubmitRequest(), sender);
      case PAYLOAD_NOT_SET ->
          throw new ClusterRequestException("message is neither a Submit nor a Consensus request");
    }
    return sender;
  }

  private static String subject(X509Certificate cert) {
    return cert == null ? "(no certificate)" : cert.getSubjectX500Principal().getName();
  }
}
