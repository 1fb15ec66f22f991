package io.ordo.cli;

import io.ordo.cli.bench.BenchCommand;
import io.ordo.cli.blocks.BlocksCommand;
import io.ordo.cli.channel.ChannelCommand;
import io.ordo.cli.crypto.CryptoCommand;
import io.ordo.cli.genesis.GenesisCommand;
import io.ordo.cli.info.CompletionCommand;
import io.ordo.cli.info.VersionCommand;
import io.ordo.cli.network.NetworkCommand;
import io.ordo.cli.orderer.OrdererCommand;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.orderer.ops.BuildInfo;
import io.ordo.orderer.server.OrdererMain;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
    description = "Tools for Ordo, a Raft ordering service for Hyperledger Fabric.")
public final class OrdoCommand implements Runnable {
  /** The subcommands, in the order help lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          CryptoCommand.class,
          GenesisCommand.class,
          BlocksCommand.class,
          OrdererCommand.class,
          NetworkCommand.class,
          BenchCommand.class,
          ChannelCommand.class,
          io.ordo.cli.config.ConfigCommand.class,
          io.ordo.cli.config.ConsenterCommand.class,
          io.ordo.cli.config.OrdererEndpointsCommand.class,
          VersionCommand.class,
          CompletionCommand.class,
          CommandLine.HelpCommand.class);

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
    return commandLine(context, SUBCOMMANDS);
  }

  /**
   * The command line for {@code args}: with the one subcommand they name, when they name one.
   * picocli reads the annotations of every command it is given before parsing; for all of them that
   * is most of a short command's run, so a run that names its command meets only that one.
   */
  public static CommandLine commandLine(CliContext context, String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      for (Class<?> c : SUBCOMMANDS) {
        if (c != CommandLine.HelpCommand.class
            && c != CompletionCommand.class
            && c.getAnnotation(Command.class).name().equals(a)) {
          return commandLine(context, List.of(c));
        }
      }
      break;
    }
    return commandLine(context);
  }

  private static CommandLine commandLine(CliContext context, List<Class<?>> subcommands) {
    CommandLine cmd = new CommandLine(new OrdoCommand(), new ContextFactory(context));
    for (Class<?> c : subcommands) {
      cmd.addSubcommand(c);
    }
    // after the subcommands: picocli gives a converter to the commands it has at this moment
    cmd.registerConverter(Path.class, context::path);
    cmd.registerConverter(File.class, value -> context.path(value).toFile());
    ErrorReporting errors = new ErrorReporting(context.style());
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(context.style().ansi()));
    return cmd;
  }

  /**
   * Commands that sign or verify a handful of things at most: they start faster on the JDK's crypto
   * providers than by loading ACCP's native library and its self-tests.
   */
  public static final Set<String> SHORT =
      Set.of("genesis", "crypto", "channel", "version", "completion");

  public static void main(String[] args) {
    OrdererMain.quietNettyLeakDetection();
    if (args.length > 0 && SHORT.contains(args[0])) {
      System.getProperties().putIfAbsent(CryptoProvider.PROPERTY, "jdk");
    }
    System.exit(commandLine(CliContext.system(), args).execute(args));
  }

  /** {@code --version} prints what {@code ordo version} does. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return VersionCommand.lines(BuildInfo.current());
    }
  }
}
