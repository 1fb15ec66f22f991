package io.ordo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.CliContext;
import io.ordo.cli.OrdoCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** The ordo command in this JVM, for material the manifests' checks need (crypto, genesis). */
final class Ordo {
  private Ordo() {}

  static String ok(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = OrdoCommand.commandLine(new CliContext(Map.of(), false));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    assertThat(exit).as("ordo %s: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }
}
