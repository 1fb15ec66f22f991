package io.ordo.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A listener's TLS settings ({@code General.TLS}, {@code Operations.TLS}, {@code Admin.TLS}).
 *
 * @param handshakeTimeShift accept certificates that expired up to this long ago
 */
public record TlsConfig(
    boolean enabled,
    Optional<Path> privateKey,
    Optional<Path> certificate,
    List<Path> rootCas,
    boolean clientAuthRequired,
    List<Path> clientRootCas,
    Duration handshakeTimeShift) {
  public TlsConfig {
    rootCas = List.copyOf(rootCas);
    clientRootCas = List.copyOf(clientRootCas);
  }
}
