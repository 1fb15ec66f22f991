package io.ordo.cli.blocks;

import io.ordo.cli.CliContext;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.Messages;
import io.ordo.cli.Style;
import io.ordo.fabric.crypto.Ecdsa;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ordo blocks verify DIR}: checks the chain of the block files of a folder and says which
 * block fails which check. Exit 0 only when every file holds a block that passes and none is
 * missing between the first and the last.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the blocks of a folder: hash chain, data hashes and orderer signatures against the"
          + " channel's /Channel/Orderer/BlockValidation policy.",
      "Reads every *.pb and *.block file of DIR (block-7.pb, 7.block, mychannel_7.block...); a"
          + " block's number is its header's, and a number in the file's name must match it. The"
          + " lowest block must be the genesis block or a config block; later config blocks"
          + " replace the policy."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every block passed",
      "1:the folder or a file could not be read",
      "2:wrong usage",
      "3:a block failed a check, or blocks are missing"
    })
public final class BlocksVerifyCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The folder of block files.")
  private Path dir;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the failures and the summary.")
  private boolean quiet;

  BlocksVerifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<BlockFile> files = BlockFiles.read(dir);
    ChainReport report = new ChainVerifier(Ecdsa.preferred()).verify(files);
    Style style = context.style();
    PrintWriter out = spec.commandLine().getOut();
    for (Outcome o : report.outcomes()) {
      if (o.ok() && quiet) {
        continue;
      }
      out.println(line(o, style));
    }
    String channel = report.channel().map(c -> "channel " + c + ": ").orElse("");
    if (report.allPassed()) {
      out.println(
          style.ok(
              channel
                  + "all "
                  + report.blockFiles()
                  + " blocks verified ("
                  + files.stream().mapToLong(BlockFile::number).min().orElseThrow()
                  + " to "
                  + files.stream().mapToLong(BlockFile::number).max().orElseThrow()
                  + ")"));
      out.flush();
      return ExitCodes.OK;
    }
    out.flush();
    Outcome first = report.failures().getFirst();
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        style.failure(
            channel
                + report.failures().size()
                + " failure(s), "
                + report.passed()
                + " of "
                + report.blockFiles()
                + " block files passed; first: "
                + line(first, Style.plain())));
    err.flush();
    return ExitCodes.VERIFICATION_FAILED;
  }

  private static String line(Outcome o, Style style) {
    String where =
        (o.failed().isPresent() && o.file().isEmpty() ? "gap at block " : "block ")
            + o.block()
            + o.file().map(f -> " (" + f + ")").orElse("");
    if (o.ok()) {
      return where + ": " + style.ok("ok") + ", " + o.detail();
    }
    return where
        + ": "
        + style.failure("FAILED " + o.failed().get())
        + ": "
        + Messages.oneLine(o.detail());
  }
}
