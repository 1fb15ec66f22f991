package io.ordo.cli.config;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import io.ordo.fabric.configtx.ConfigUpdateEnvelopes;
import io.ordo.fabric.configtx.ConfigUpdateException;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Envelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ordo config sign FILE}: one admin's config signature added to an update file, as {@code
 * peer channel signconfigtx} adds it; no orderer is needed.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description =
        "Add one admin's config signature to an update file (from 'ordo config update --output',"
            + " or Fabric's recipe), as 'peer channel signconfigtx' does. Needs no orderer.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:signed", "1:the file or the identity could not be used", "2:wrong usage"})
final class ConfigSignCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The update: a CONFIG_UPDATE envelope.")
  private Path file;

  @Option(
      names = "--msp",
      paramLabel = "DIR",
      required = true,
      description = "The admin's MSP folder.")
  private Path msp;

  @Option(names = "--mspid", paramLabel = "ID", required = true, description = "Its MSP ID.")
  private String mspId;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Where to write the signed update (default: FILE itself, as signconfigtx does).")
  private Path output;

  ConfigSignCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Envelope envelope = UpdateFiles.read(file);
    LocalSigningIdentity signer = Signers.load(msp, mspId, null);
    Envelope signed;
    try {
      signed = ConfigUpdateEnvelopes.addSignature(envelope, signer, new SecureRandom());
    } catch (ConfigUpdateException e) {
      throw new CommandFailedException(
          "update file " + file + " is not a config update: " + MessageText.oneLine(e.getMessage()),
          e);
    }
    Path target = output != null ? output : file;
    try {
      Files.write(target, signed.toByteArray());
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write " + target + ": " + MessageText.oneLine(e.getMessage()), e);
    }
    int count = ConfigUpdateEnvelopes.updateEnvelope(signed).getSignaturesCount();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        context.style().ok("signed by " + mspId)
            + " ("
            + msp
            + "): "
            + target
            + " has "
            + count
            + " signature"
            + (count == 1 ? "" : "s"));
    out.flush();
    return 0;
  }
}
