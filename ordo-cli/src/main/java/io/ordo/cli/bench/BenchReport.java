package io.ordo.cli.bench;

import io.ordo.cli.CommandFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code --report DIR}: {@code result.json} (the {@link BenchResult}) and {@code
 * report.html}, a page with no external resource: the figures and two inline SVG charts (throughput
 * and latency over time).
 */
public final class BenchReport {
  public static final String RESULT_JSON = "result.json";
  public static final String REPORT_HTML = "report.html";

  private BenchReport() {}

  public static void write(Path dir, BenchResult result, Instant finishedAt) {
    try {
      Files.createDirectories(dir);
      JsonReport.write(dir.resolve(RESULT_JSON), result);
      Files.writeString(dir.resolve(REPORT_HTML), html(result, finishedAt), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write the report in " + dir + ": " + e.getMessage(), e);
    }
  }

  static String html(BenchResult r, Instant finishedAt) {
    double[] xs = r.timeline().stream().mapToDouble(BenchResult.Sample::atSeconds).toArray();
    String throughput =
        SvgChart.render(
            "Throughput",
            "tx/s",
            xs,
            List.of(
                new SvgChart.Series(
                    "acked",
                    "#1f77b4",
                    r.timeline().stream().mapToDouble(BenchResult.Sample::ackedTps).toArray()),
                new SvgChart.Series(
                    "committed",
                    "#2ca02c",
                    r.timeline().stream()
                        .mapToDouble(BenchResult.Sample::committedTps)
                        .toArray())));
    String latency =
        SvgChart.render(
            "Latency, send to block",
            "ms",
            xs,
            List.of(
                new SvgChart.Series(
                    "p50",
                    "#ff7f0e",
                    r.timeline().stream().mapToDouble(BenchResult.Sample::p50Ms).toArray()),
                new SvgChart.Series(
                    "p99",
                    "#d62728",
                    r.timeline().stream().mapToDouble(BenchResult.Sample::p99Ms).toArray())));
    StringBuilder rows = new StringBuilder();
    row(rows, "orderers", String.join(", ", r.orderers()));
    row(rows, "channel", r.channel());
    row(
        rows,
        "transactions",
        r.tx()
            + " of "
            + r.payloadBytes()
            + " random bytes (envelopes of "
            + r.envelopeBytes()
            + " bytes), "
            + r.streams()
            + " streams");
    row(rows, "committed", r.committed() + " of " + r.tx() + (r.timedOut() ? " (timed out)" : ""));
    row(rows, "acked tx/s", fmt(r.ackedTps()));
    row(rows, "committed tx/s", fmt(r.committedTps()));
    row(
        rows,
        "latency p50 / p90 / p99 / max",
        fmt(r.p50Ms())
            + " / "
            + fmt(r.p90Ms())
            + " / "
            + fmt(r.p99Ms())
            + " / "
            + fmt(r.maxMs())
            + " ms");
    row(rows, "blocks", r.blocks() + " (" + fmt(r.txPerBlock()) + " tx/block)");
    row(rows, "errors by status", errors(r.errors()));
    row(rows, "stream errors", Long.toString(r.streamErrors()));
    row(rows, "duration", fmt(r.durationSeconds()) + " s");
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>ordo bench: %s</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        td, th { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: left; }
        figure { margin: 1em 0; }
        </style>
        </head>
        <body>
        <h1>ordo bench, channel %s</h1>
        <p>Finished %s.</p>
        <table>
        %s</table>
        <figure>
        %s</figure>
        <figure>
        %s</figure>
        </body>
        </html>
        """
        .formatted(
            Html.escape(r.channel()),
            Html.escape(r.channel()),
            Html.escape(finishedAt.toString()),
            rows,
            throughput,
            latency);
  }

  static String errors(Map<String, Integer> errors) {
    if (errors.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    errors.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>")
        .append(Html.escape(name))
        .append("</th><td>")
        .append(Html.escape(value))
        .append("</td></tr>\n");
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }
}
