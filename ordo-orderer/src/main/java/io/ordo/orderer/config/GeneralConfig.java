package io.ordo.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code General} section of orderer.yaml.
 *
 * @param connectionTimeout server handshake timeout; zero means gRPC's default
 * @param bootstrapMethod always "none" in Fabric v3.0 (channels are joined through the admin API)
 */
public record GeneralConfig(
    String listenAddress,
    int listenPort,
    TlsConfig tls,
    KeepaliveConfig keepalive,
    BackoffConfig backoff,
    Duration connectionTimeout,
    int maxRecvMsgSize,
    int maxSendMsgSize,
    ThrottlingConfig throttling,
    ClusterConfig cluster,
    String bootstrapMethod,
    Optional<Path> bootstrapFile,
    Path localMspDir,
    String localMspId,
    BccspConfig bccsp,
    ProfileConfig profile,
    AuthenticationConfig authentication) {}
