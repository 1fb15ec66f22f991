package io.ordo.cli.config;

import io.ordo.cli.CliContext;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.fabric.configtx.ConfigUpdateEnvelopes;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Envelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ordo config submit FILE}: an update file checked, submitted and waited for. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description =
        "Submit an update file (its signatures, plus any --sign-with) as 'peer channel update'"
            + " does, after checking it against the channel's current config, and wait for its"
            + " config block.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the config block was written",
      "1:a check failed or the orderer refused; nothing was submitted unless the message says so",
      "2:wrong usage"
    })
final class ConfigSubmitCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private OrdererOptions orderer;
  @Mixin private UpdateOptions update;

  @Parameters(paramLabel = "FILE", description = "The update: a CONFIG_UPDATE envelope.")
  private Path file;

  ConfigSubmitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    Envelope envelope = UpdateFiles.read(file);
    OrdererTarget target = orderer.resolve(spec.commandLine());
    ConfigUpdateFlow flow =
        new ConfigUpdateFlow(
            target, update, orderer.networkDir(), spec.commandLine().getOut(), context.style());
    if (!update.signWith.isEmpty()) {
      CurrentConfig current = flow.read();
      for (var signer : Signers.load(update.signWith, current.loaded())) {
        envelope = ConfigUpdateEnvelopes.addSignature(envelope, signer, new SecureRandom());
      }
    }
    return flow.submit(envelope, Optional.empty());
  }
}
