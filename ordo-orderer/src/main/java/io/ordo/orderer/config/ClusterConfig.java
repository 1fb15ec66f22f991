package io.ordo.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Orderer-to-orderer communication ({@code General.Cluster}).
 *
 * @param listenPort 0 when the cluster service shares the general listener
 * @param sendBufferSize requests queued per destination stream before consensus messages drop
 * @param rpcTimeout bound of one send and of the wait for a forwarded submit
 */
public record ClusterConfig(
    Optional<String> listenAddress,
    int listenPort,
    Optional<Path> serverCertificate,
    Optional<Path> serverPrivateKey,
    Optional<Path> clientCertificate,
    Optional<Path> clientPrivateKey,
    List<Path> rootCas,
    Duration dialTimeout,
    Duration rpcTimeout,
    int replicationBufferSize,
    Duration replicationPullTimeout,
    Duration replicationRetryTimeout,
    Duration replicationBackgroundRefreshInterval,
    int replicationMaxRetries,
    String replicationPolicy,
    int sendBufferSize,
    Duration certExpirationWarningThreshold,
    Duration tlsHandshakeTimeShift) {
  public ClusterConfig {
    rootCas = List.copyOf(rootCas);
  }

  /** Whether the cluster service has its own listener and server certificate. */
  public boolean hasSeparateListener() {
    return listenPort != 0;
  }
}
