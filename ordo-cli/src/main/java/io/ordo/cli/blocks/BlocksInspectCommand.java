package io.ordo.cli.blocks;

import io.ordo.fabric.json.FabricJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ordo blocks inspect FILE}: a block as JSON, like configtxlator's proto_decode. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Print a block file as JSON (configtxlator proto_decode --type common.Block), envelopes,"
            + " headers, config and transactions decoded.")
public final class BlocksInspectCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A file holding one marshaled common.Block.")
  private Path file;

  @Override
  public Integer call() {
    String json = new FabricJson().text(BlockFiles.readBlock(file));
    PrintWriter out = spec.commandLine().getOut();
    out.println(json);
    out.flush();
    return 0;
  }
}
