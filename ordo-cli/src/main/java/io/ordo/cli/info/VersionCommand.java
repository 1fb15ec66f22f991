package io.ordo.cli.info;

import io.ordo.cli.ExitCodes;
import io.ordo.orderer.ops.BuildInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ordo version}: the lines a node's {@code /version} reports, for this jar. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description =
        "Print Ordo's version, the commit it was built from and the Fabric release it"
            + " is compatible with.")
public final class VersionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (String line : lines(BuildInfo.current())) {
      out.println(line);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** Laid out as Fabric's {@code orderer version} prints its own. */
  public static String[] lines(BuildInfo build) {
    return new String[] {
      "ordo:",
      " Version: " + build.version(),
      " Commit SHA: " + build.commit(),
      " Fabric: " + build.fabricVersion(),
      " Java: " + Runtime.version(),
      " OS/Arch: "
          + System.getProperty("os.name").toLowerCase()
          + "/"
          + System.getProperty("os.arch")
    };
  }
}
