package io.ordo.cli.blocks;

import io.grpc.ManagedChannel;
import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.orderer.ClientIdentity;
import io.ordo.cli.orderer.DeliverStream;
import io.ordo.cli.orderer.GrpcChannels;
import io.ordo.cli.orderer.GrpcErrors;
import io.ordo.cli.orderer.OrdererEndpoint;
import io.ordo.cli.orderer.OrdererOptions;
import io.ordo.cli.orderer.OrdererTarget;
import io.ordo.cli.orderer.SignedEnvelopes;
import io.ordo.fabric.crypto.Ecdsa;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
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
    SignedEnvelopes envelopes =
        new SignedEnvelopes(
            ClientIdentity.signer(target, Ecdsa.preferred()),
            ClientIdentity.tlsCertificateDer(target),
            new SecureRandom());
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new CommandFailedException("cannot create output folder " + output + ": " + e, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    AtomicLong written = new AtomicLong();
    ManagedChannel channel = GrpcChannels.open(endpoint, GrpcChannels.tls(target));
    try (DeliverStream stream =
        DeliverStream.open(
            channel,
            envelopes.seek(target.channel(), SignedEnvelopes.range(from, to), Instant.now()),
            block -> {
              write(block);
              written.incrementAndGet();
            })) {
      Status status = stream.finished().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (status != Status.SUCCESS) {
        throw new CommandFailedException(
            "orderer "
                + endpoint
                + " refused blocks "
                + from
                + " to "
                + to
                + " of channel "
                + target.channel()
                + ": "
                + status.name());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CommandFailedException c) {
        throw c;
      }
      throw new CommandFailedException(
          "cannot fetch from " + endpoint + ": " + GrpcErrors.describe(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException(
          "orderer "
              + endpoint
              + " sent "
              + written.get()
              + " of blocks "
              + from
              + " to "
              + to
              + " within "
              + timeout);
    } finally {
      GrpcChannels.close(channel);
    }
    out.println(
        context.style().ok("wrote " + written.get() + " blocks")
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
