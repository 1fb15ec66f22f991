package io.ordo.cli.blocks;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.client.BlockDelivery;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ordo blocks fetch}: a Deliver client writing blocks N to M of a channel as {@code
 * block-N.pb} files, the naming {@code blocks verify} reads. Blocks not written yet are waited for,
 * within the timeout.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch blocks --from N --to M of a channel from an orderer's Deliver service (waiting for"
          + " blocks not written yet) and write each as DIR/block-N.pb.",
      "Uses the first orderer given."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every block was written",
      "1:an input could not be used, the orderer could not be reached or refused the request",
      "2:wrong usage"
    })
public final class BlocksFetchCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private OrdererOptions orderer;

  @Option(names = "--from", paramLabel = "N", description = "First block (default 0).")
  private long from;

  @Option(names = "--to", paramLabel = "M", required = true, description = "Last block, included.")
  private long to;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Folder for the block files (default: the current folder).")
  private Path output = Path.of(".");

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on the whole fetch (default 1m).")
  private Duration timeout = Duration.ofMinutes(1);

  BlocksFetchCommand(CliContext context) {
    this.context = context;
  }

  /** The file name of block {@code number}, as {@code blocks verify} reads it. */
  public static String fileName(long number) {
    return "block-" + number + ".pb";
  }

  @Override
  public Integer call() throws InterruptedException {
    if (from < 0 || to < from) {
      throw new ParameterException(spec.commandLine(), "--from and --to need 0 <= from <= to");
    }
    OrdererTarget target = orderer.resolve(spec.commandLine());
    OrdererEndpoint endpoint = target.endpoints().getFirst();
    BlockDelivery delivery = new BlockDelivery(target);
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new CommandFailedException("cannot create output folder " + output + ": " + e, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    long written =
        delivery.deliver(
            endpoint,
            SignedEnvelopes.range(from, to),
            "blocks " + from + " to " + to,
            timeout,
            this::write);
    out.println(
        context.style().ok("wrote " + written + " blocks")
            + " ("
            + from
            + " to "
            + to
            + ") of channel "
            + target.channel()
            + " in "
            + output);
    out.flush();
    return ExitCodes.OK;
  }

  private void write(Block block) {
    Path file = output.resolve(fileName(block.getHeader().getNumber()));
    try {
      Files.write(file, block.toByteArray());
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write " + file + ": " + e.getMessage(), new UncheckedIOException(e));
    }
  }
}
