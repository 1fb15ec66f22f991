package io.ordo.cli.config;

import io.ordo.cli.CliContext;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ordo orderer-endpoints set}: an orderer organization's OrdererEndpoints. */
@Command(
    name = "orderer-endpoints",
    mixinStandardHelpOptions = true,
    description =
        "Set an orderer organization's OrdererEndpoints (the addresses peers and clients use).",
    subcommands = {OrdererEndpointsCommand.Set.class})
public final class OrdererEndpointsCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code ordo orderer-endpoints set HOST:PORT...}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Replace the organization's OrdererEndpoints value with these addresses, in one step"
              + " (read, edit, compute, check, sign, submit, wait).",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the config block was written (or, with --output, the update file)",
        "1:a check failed or the orderer refused; nothing was submitted unless the message says so",
        "2:wrong usage"
      })
  static final class Set extends ConfigChangeCommand {
    @Option(
        names = "--org",
        paramLabel = "NAME",
        description = "The orderer organization (default: the only one).")
    String org;

    @Parameters(
        paramLabel = "HOST:PORT",
        arity = "1..*",
        split = ",",
        description = "The endpoints, in order.")
    List<String> endpoints = new ArrayList<>();

    Set(CliContext context) {
      super(context);
    }

    @Override
    void checkOptions() {
      for (String e : endpoints) {
        int colon = e.lastIndexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
          throw new ParameterException(spec.commandLine(), "'" + e + "' is not HOST:PORT");
        }
      }
    }

    @Override
    Config edit(CurrentConfig current) {
      String name = ConfigEdits.ordererOrg(current.config(), org);
      return ConfigEdits.setEndpoints(current.config(), name, endpoints);
    }
  }
}
