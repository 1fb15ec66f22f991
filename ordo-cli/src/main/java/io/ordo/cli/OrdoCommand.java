package io.ordo.cli;

import io.ordo.cli.bench.BenchCommand;
import io.ordo.cli.blocks.BlocksCommand;
import io.ordo.cli.channel.ChannelCommand;
import io.ordo.cli.crypto.CryptoCommand;
import io.ordo.cli.genesis.GenesisCommand;
import io.ordo.cli.network.NetworkCommand;
import io.ordo.cli.orderer.OrdererCommand;
import io.ordo.orderer.server.OrdererMain;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code ordo} command: Fabric-style tools for an Ordo (or Fabric) ordering service. */
@Command(
    name = "ordo",
    mixinStandardHelpOptions = true,
    versionProvider = OrdoCommand.Version.class,
    description = "Tools for Ordo, a Raft ordering service for Hyperledger Fabric.",
    subcommands = {
      CryptoCommand.class,
      GenesisCommand.class,
      BlocksCommand.class,
      OrdererCommand.class,
      NetworkCommand.class,
      BenchCommand.class,
      ChannelCommand.class,
      CommandLine.HelpCommand.class
    })
public final class OrdoCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Option(
      names = ErrorReporting.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  private boolean verbose;

  @Override
  public void run() {
    // no subcommand: say what there is
    PrintWriter out = spec.commandLine().getOut();
    spec.commandLine().usage(out);
  }

  /** The command line of one run, wired to {@code context} and with the error reporting. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cmd = new CommandLine(new OrdoCommand(), new ContextFactory(context));
    ErrorReporting errors = new ErrorReporting(context.style());
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(context.style().ansi()));
    return cmd;
  }

  public static void main(String[] args) {
    OrdererMain.quietNettyLeakDetection();
    System.exit(commandLine(CliContext.system()).execute(args));
  }

  /** The version from the jar's manifest, when run from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = OrdoCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ordo " + (v == null ? "(development build)" : v)};
    }
  }
}
