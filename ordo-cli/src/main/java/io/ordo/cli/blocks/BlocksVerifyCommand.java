package io.ordo.cli.blocks;

import io.ordo.cli.CliContext;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.MessageText;
import io.ordo.cli.Style;
import io.ordo.cli.client.BlockDelivery;
import io.ordo.cli.client.BlocksPrunedException;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.fabric.crypto.Ecdsa;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ordo blocks verify DIR|ADDR}: checks the chain of the block files of a folder, or the
 * whole chain a live orderer delivers, and says which block fails which check. Exit 0 only when
 * every block passes and none is missing between the first and the last.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a chain: hash chain, data hashes and orderer signatures against the channel's"
          + " /Channel/Orderer/BlockValidation policy.",
      "DIR: reads every *.pb and *.block file of DIR (block-7.pb, 7.block, mychannel_7.block...);"
          + " a block's number is its header's, and a number in the file's name must match it."
          + " The lowest block must be the genesis block or a config block; later config blocks"
          + " replace the policy.",
      "ADDR (host:port), -o ADDR or --network DIR [--node NODE]: delivers blocks 0 to the newest"
          + " from each orderer named (every node of the network when no --node) and verifies"
          + " them as they arrive; the client options are those of 'blocks fetch'. An Ordo"
          + " orderer that no longer holds block 0 (it prunes its ledger) says from which block"
          + " it holds the chain: that is verified from there, and the line says so."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every block passed",
      "1:the folder or a file could not be read, or an orderer could not be reached or refused",
      "2:wrong usage",
      "3:a block failed a check, or blocks are missing"
    })
public final class BlocksVerifyCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private OrdererOptions orderer;

  @Parameters(
      paramLabel = "DIR|ADDR",
      arity = "0..1",
      description = "A folder of block files, or an orderer's client endpoint host:port.")
  private String source;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the failures and the summary.")
  private boolean quiet;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on the delivery of each orderer's chain (default 5m).")
  private Duration timeout = Duration.ofMinutes(5);

  BlocksVerifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (source != null && (Files.exists(Path.of(source)) || !looksLikeAddress(source))) {
      return verifyFolder(Path.of(source));
    }
    if (source == null && !orderer.given()) {
      throw new ParameterException(
          spec.commandLine(), "Missing DIR or ADDR (or -o ADDR, or --network DIR)");
    }
    OrdererTarget target =
        orderer.resolve(spec.commandLine(), source == null ? List.of() : List.of(source));
    BlockDelivery delivery = new BlockDelivery(target);
    boolean allPassed = true;
    ChainComparison comparison = new ChainComparison();
    for (OrdererEndpoint endpoint : target.endpoints()) {
      allPassed &= verifyDelivered(endpoint, delivery, comparison);
    }
    if (target.endpoints().size() > 1) {
      allPassed &= printComparison(comparison);
    }
    return allPassed ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }

  private static boolean looksLikeAddress(String s) {
    return s.matches("[^/\\\\]+:\\d+");
  }

  private int verifyFolder(Path dir) {
    List<BlockFile> files = BlockFiles.read(dir);
    ChainReport report = new ChainVerifier(Ecdsa.preferred()).verify(files);
    return print(report, "", true) ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }

  private boolean verifyDelivered(
      OrdererEndpoint endpoint, BlockDelivery delivery, ChainComparison comparison)
      throws InterruptedException {
    try {
      return verifyDelivered(
          endpoint,
          delivery,
          comparison,
          new ChainVerifier(Ecdsa.preferred()).begin(),
          SignedEnvelopes.wholeChain(),
          "blocks 0 to the newest");
    } catch (BlocksPrunedException e) {
      long first = e.firstBlock();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          endpoint
              + " holds the channel's blocks from ["
              + first
              + "] on (it prunes its ledger, or onboarded from a later config block): verifying"
              + " from there, the blocks before its first config block by their hash chain into"
              + " it, that config block taken as trusted");
      return verifyDelivered(
          endpoint,
          delivery,
          comparison,
          new ChainVerifier(Ecdsa.preferred()).beginAfterPrunedBlocks(),
          SignedEnvelopes.fromBlock(first),
          "blocks " + first + " to the newest");
    }
  }

  private boolean verifyDelivered(
      OrdererEndpoint endpoint,
      BlockDelivery delivery,
      ChainComparison comparison,
      ChainVerifier.Run run,
      org.hyperledger.fabric.protos.orderer.SeekInfo seek,
      String what)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    delivery.deliver(
        endpoint,
        seek,
        what,
        timeout,
        block -> {
          int before = run.outcomeCount();
          run.accept(BlockFile.delivered(endpoint.toString(), block));
          comparison.add(endpoint.toString(), block);
          for (Outcome o : run.outcomesFrom(before)) {
            if (!(o.ok() && quiet)) {
              out.println(line(o, context.style(), false));
            }
          }
        });
    out.flush();
    return print(run.report(), endpoint + ": ", false);
  }

  /** The line comparing the orderers' chains; true when they agree on every common block. */
  private boolean printComparison(ChainComparison comparison) {
    Style style = context.style();
    var difference = comparison.firstDifference();
    if (difference.isEmpty()) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(style.ok(comparison.agreement()));
      out.flush();
      return true;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(style.failure(difference.get()));
    err.flush();
    return false;
  }

  /** Prints the summary (outcomes too when {@code withOutcomes}); true when every block passed. */
  private boolean print(ChainReport report, String prefix, boolean withOutcomes) {
    Style style = context.style();
    PrintWriter out = spec.commandLine().getOut();
    if (withOutcomes) {
      for (Outcome o : report.outcomes()) {
        if (o.ok() && quiet) {
          continue;
        }
        out.println(line(o, style, true));
      }
    }
    String channel = prefix + report.channel().map(c -> "channel " + c + ": ").orElse("");
    if (report.blockFiles() == 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(style.failure(channel + "no block delivered"));
      err.flush();
      return false;
    }
    if (report.allPassed()) {
      out.println(
          style.ok(
              channel
                  + "all "
                  + report.blockFiles()
                  + " blocks verified ("
                  + report.outcomes().stream().mapToLong(Outcome::block).min().orElseThrow()
                  + " to "
                  + report.outcomes().stream().mapToLong(Outcome::block).max().orElseThrow()
                  + ")"));
      out.flush();
      return true;
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    Outcome first = report.failures().getFirst();
    err.println(
        style.failure(
            channel
                + report.failures().size()
                + " failure(s), "
                + report.passed()
                + " of "
                + report.blockFiles()
                + " blocks passed; first: "
                + line(first, Style.plain(), withOutcomes)));
    err.flush();
    return false;
  }

  private static String line(Outcome o, Style style, boolean withSource) {
    String where =
        (o.failed().isPresent() && o.file().isEmpty() ? "gap at block " : "block ")
            + o.block()
            + (withSource ? o.file().map(f -> " (" + f + ")").orElse("") : "");
    if (o.ok()) {
      return where + ": " + style.ok("ok") + ", " + o.detail();
    }
    return where
        + ": "
        + style.failure("FAILED " + o.failed().get())
        + ": "
        + MessageText.oneLine(o.detail());
  }
}
