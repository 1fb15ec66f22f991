package io.ordo.cli.client;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --client-cert} and {@code --client-key}: the TLS client certificate a command shows to
 * endpoints that require mutual TLS, the orderers' client endpoints or their admin endpoints.
 */
public final class ClientCertificateOptions {
  @Option(
      names = "--client-cert",
      paramLabel = "FILE",
      description =
          "PEM TLS client certificate, for endpoints that require one (mutual TLS; with"
              + " --client-key).")
  private Path certificate;

  @Option(names = "--client-key", paramLabel = "FILE", description = "Its PEM private key.")
  private Path key;

  /** The certificate and its key, none when neither is given, or a usage error for one alone. */
  public Optional<OrdererTarget.ClientTls> resolve(CommandLine cmd) {
    if ((certificate == null) != (key == null)) {
      throw new ParameterException(cmd, "--client-cert and --client-key go together");
    }
    return certificate == null
        ? Optional.empty()
        : Optional.of(new OrdererTarget.ClientTls(certificate, key));
  }
}
