package io.ordo.cli.config;

import io.ordo.cli.CliContext;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ordo consenter add|remove|rotate}: one etcdraft consenter changed per config update. */
@Command(
    name = "consenter",
    mixinStandardHelpOptions = true,
    description =
        "Add, remove or rotate one etcdraft consenter of a channel in one step (read, edit, compute,"
            + " check, sign, submit, wait), with the organization's orderer endpoints.",
    subcommands = {
      ConsenterCommand.Add.class,
      ConsenterCommand.Remove.class,
      ConsenterCommand.Rotate.class
    })
public final class ConsenterCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  private static final String[] EXIT_CODES = {
    "0:the config block was written (or, with --output, the update file)",
    "1:a check failed (quorum, reachability, certificates, signatures, ...), an input could not"
        + " be used, or the orderer refused; nothing was submitted unless the message says so",
    "2:wrong usage"
  };

  /** {@code ordo consenter add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add a consenter (start it first: the command checks that its cluster endpoint answers"
              + " over TLS); then join it to the channel with the config block printed.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the config block was written (or, with --output, the update file)",
        "1:a check failed or the orderer refused; nothing was submitted unless the message says so",
        "2:wrong usage"
      })
  static final class Add extends ConfigChangeCommand {
    @Mixin ConsenterOptions consenter;

    @Option(
        names = "--client-tls-cert",
        paramLabel = "FILE",
        required = true,
        description = "Its PEM TLS client certificate.")
    Path clientCert;

    @Option(
        names = "--server-tls-cert",
        paramLabel = "FILE",
        required = true,
        description = "Its PEM TLS server certificate.")
    Path serverCert;

    Add(CliContext context) {
      super(context);
    }

    @Override
    void checkOptions() {
      consenter.check();
    }

    @Override
    Config edit(CurrentConfig current) {
      Config c =
          ConfigEdits.addConsenter(
              current.config(),
              Consenter.newBuilder()
                  .setHost(consenter.host)
                  .setPort(consenter.port)
                  .setClientTlsCert(ConsenterOptions.pem(clientCert, "client TLS certificate"))
                  .setServerTlsCert(ConsenterOptions.pem(serverCert, "server TLS certificate"))
                  .build());
      if (!consenter.ordererEndpoints.isEmpty()) {
        String org = ConfigEdits.ordererOrg(c, consenter.org);
        c = ConfigEdits.editEndpoints(c, org, consenter.ordererEndpoints, List.of());
      }
      return c;
    }
  }

  /** {@code ordo consenter remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Remove a consenter (refused when the consenters left that answer are fewer than a"
              + " quorum); then remove the channel from that node.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the config block was written (or, with --output, the update file)",
        "1:a check failed or the orderer refused; nothing was submitted unless the message says so",
        "2:wrong usage"
      })
  static final class Remove extends ConfigChangeCommand {
    @Mixin ConsenterOptions consenter;

    Remove(CliContext context) {
      super(context);
    }

    @Override
    void checkOptions() {
      consenter.check();
    }

    @Override
    Config edit(CurrentConfig current) {
      Config c = ConfigEdits.removeConsenter(current.config(), consenter.host, consenter.port);
      if (!consenter.ordererEndpoints.isEmpty()) {
        String org = ConfigEdits.ordererOrg(c, consenter.org);
        c = ConfigEdits.editEndpoints(c, org, List.of(), consenter.ordererEndpoints);
      }
      return c;
    }
  }

  /** {@code ordo consenter rotate}. */
  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Give an existing consenter new TLS certificates (host and port stay); restart the node"
              + " with them after the config block.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the config block was written (or, with --output, the update file)",
        "1:a check failed or the orderer refused; nothing was submitted unless the message says so",
        "2:wrong usage"
      })
  static final class Rotate extends ConfigChangeCommand {
    @Mixin ConsenterOptions consenter;

    @Option(
        names = "--client-tls-cert",
        paramLabel = "FILE",
        required = true,
        description = "The new PEM TLS client certificate.")
    Path clientCert;

    @Option(
        names = "--server-tls-cert",
        paramLabel = "FILE",
        required = true,
        description = "The new PEM TLS server certificate.")
    Path serverCert;

    Rotate(CliContext context) {
      super(context);
    }

    @Override
    void checkOptions() {
      consenter.check();
    }

    @Override
    Config edit(CurrentConfig current) {
      return ConfigEdits.rotateConsenter(
          current.config(),
          consenter.host,
          consenter.port,
          ConsenterOptions.pem(clientCert, "client TLS certificate"),
          ConsenterOptions.pem(serverCert, "server TLS certificate"));
    }
  }
}
