package io.ordo.cli.crypto;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.cli.YamlErrors;
import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ordo crypto generate}: cryptogen's {@code generate}. Reads a crypto-config.yaml and writes
 * the same ordererOrganizations/ and peerOrganizations/ layout (CAs, MSP folders with NodeOUs, TLS
 * material, private keys) so that Fabric's own orderer and peers can use it.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate key material from a crypto-config.yaml (cryptogen generate).")
public final class CryptoGenerateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"--config", "-config"},
      required = true,
      paramLabel = "FILE",
      description = "The crypto-config.yaml to use.")
  private Path config;

  @Option(
      names = {"--output", "-output"},
      defaultValue = "crypto-config",
      paramLabel = "DIR",
      description = "The folder to write the material to (default: ${DEFAULT-VALUE}).")
  private Path output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CryptoConfig parsed = read(InputFiles.readableFile(config, "--config"));
    if (parsed.ordererOrgs().isEmpty() && parsed.peerOrgs().isEmpty()) {
      throw new CommandFailedException(config + ": no OrdererOrgs and no PeerOrgs to generate");
    }
    try {
      new NetworkMaterial(new SecureRandom(), Instant.now()).write(parsed, output);
    } catch (UncheckedIOException e) {
      throw new CommandFailedException(InputFiles.describe(e), e);
    }
    for (CryptoConfig.Org org : parsed.ordererOrgs()) {
      out.println(line("orderer", org));
    }
    for (CryptoConfig.Org org : parsed.peerOrgs()) {
      out.println(line("peer", org));
    }
    out.println("written to " + output);
    out.flush();
    return 0;
  }

  private static String line(String kind, CryptoConfig.Org org) {
    return org.domain()
        + " ("
        + kind
        + " org "
        + org.name()
        + ": "
        + org.nodes().size()
        + " node(s), Admin + "
        + org.users()
        + " user(s))";
  }

  private static CryptoConfig read(Path file) {
    try {
      return CryptoConfig.read(file);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new CommandFailedException(
          YamlErrors.syntaxError(file, e)
              .orElseGet(() -> file + ": " + MessageText.oneLine(e.getMessage())),
          e);
    }
  }
}
