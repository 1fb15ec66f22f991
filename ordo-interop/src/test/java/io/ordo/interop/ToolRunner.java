package io.ordo.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs short-lived commands (Fabric's tools, {@code ordo}'s commands) to their end within a bound,
 * their output captured in files (a pipe left unread can stall a tool) and appended, with the
 * command and exit code, to one {@code tools.log} per test.
 */
final class ToolRunner {
  private final Path workDir;
  private final Path scratch;
  private final Path log;
  private int runs;

  /**
   * @param workDir where every command runs
   * @param scratch where their output is kept
   * @param log the summary of every run
   */
  ToolRunner(Path workDir, Path scratch, Path log) {
    this.workDir = workDir;
    this.scratch = scratch;
    this.log = log;
  }

  Path log() {
    return log;
  }

  /**
   * Runs {@code command} with the {@link ChildEnvironment} of {@code env}.
   *
   * @throws IllegalStateException when it does not end within {@code timeout} (it is killed)
   */
  synchronized ToolResult run(List<String> command, Map<String, String> env, Duration timeout) {
    int n = ++runs;
    Path out = scratch.resolve("tool-" + n + ".out");
    Path err = scratch.resolve("tool-" + n + ".err");
    long start = System.nanoTime();
    try {
      Files.createDirectories(scratch);
      Files.createDirectories(workDir);
      ProcessBuilder b =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      ChildEnvironment.apply(b.environment(), env);
      Process p = b.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        ToolResult r = result(command, -1, out, err);
        record(r, System.nanoTime() - start);
        throw new IllegalStateException("did not end within " + timeout + ": " + r.describe());
      }
      ToolResult r = result(command, p.exitValue(), out, err);
      record(r, System.nanoTime() - start);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static ToolResult result(List<String> command, int code, Path out, Path err)
      throws IOException {
    return new ToolResult(
        command,
        code,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private void record(ToolResult r, long nanos) throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        String.format(
            "==== %s%n(exit %d after %d ms)%n%s%s",
            String.join(" ", r.command()),
            r.exitCode(),
            TimeUnit.NANOSECONDS.toMillis(nanos),
            r.out(),
            r.err()),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
