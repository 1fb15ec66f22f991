package io.ordo.cli.bench;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.Style;
import io.ordo.cli.orderer.ClientIdentity;
import io.ordo.cli.orderer.OrdererEndpoint;
import io.ordo.cli.orderer.OrdererOptions;
import io.ordo.cli.orderer.OrdererTarget;
import io.ordo.cli.orderer.SignedEnvelopes;
import io.ordo.fabric.crypto.Ecdsa;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ordo bench}: drives an ordering service (Ordo or Fabric v3) with pre-signed transactions
 * over pipelined Broadcast streams and times each one until it appears in a delivered block.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark an ordering service: pre-sign --tx transactions with the client identity, send"
          + " them over --streams pipelined Broadcast streams spread over the orderers, and time"
          + " each from its send to its block on a Deliver stream of the first orderer.",
      "Prints acked and committed tx/s, p50/p90/p99/max latency, blocks and errors by status;"
          + " --report DIR writes result.json and report.html."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every transaction was committed",
      "1:an input could not be used, or an orderer could not be reached",
      "2:wrong usage",
      "4:not every transaction was committed (refusals, or the timeout)"
    })
public final class BenchCommand implements Callable<Integer> {
  /**
   * A cryptogen client's signed transaction takes about 2 KB before any random byte (its PEM
   * certificate appears twice); 3 KB leaves about 1 KB of random bytes, Fabric's usual "1 KB
   * transaction".
   */
  static final int DEFAULT_ENVELOPE_BYTES = 3072;

  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private OrdererOptions orderer;

  @Option(
      names = "--tx",
      paramLabel = "N",
      description = "Transactions to send (default ${DEFAULT-VALUE}).")
  private int tx = 50_000;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      description =
          "Marshalled size of each envelope in bytes, random bytes filling what the headers,"
              + " the creator certificate (twice) and the signature leave (default"
              + " ${DEFAULT-VALUE}).")
  private int size = DEFAULT_ENVELOPE_BYTES;

  @Option(
      names = "--streams",
      paramLabel = "N",
      description = "Broadcast streams, spread over the orderers (default ${DEFAULT-VALUE}).")
  private int streams = 8;

  @Option(
      names = "--window",
      paramLabel = "N",
      description = "Unanswered envelopes allowed per stream (default ${DEFAULT-VALUE}).")
  // 64 x 8 streams keeps about half a second of work queued at the rates measured on a small
  // machine (docs/benchmarks.md): deeper windows add latency, not throughput
  private int window = 64;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "Transactions sent and committed before the timed ones and not counted, so that the"
              + " client's code is compiled when the clock starts (default: a tenth of --tx, at"
              + " most 5000; 0 for none).")
  private Integer warmup;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on the whole run (default 10m).")
  private Duration timeout = Duration.ofMinutes(10);

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the random payloads (default: random, printed).")
  private Long seed;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write result.json and report.html in DIR.")
  private Path report;

  BenchCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (tx < 1 || size < 1 || streams < 1 || window < 1) {
      throw new ParameterException(
          spec.commandLine(), "--tx, --size, --streams and --window must be positive");
    }
    if (warmup != null && warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more");
    }
    int warmupTx = warmup != null ? warmup : defaultWarmup(tx);
    OrdererTarget target = orderer.resolve(spec.commandLine());
    long runSeed = seed != null ? seed : new SecureRandom().nextLong();
    BenchSettings settings =
        new BenchSettings(
            target.endpoints().stream().map(OrdererEndpoint::toString).toList(),
            target.channel(),
            tx,
            size,
            streams,
            window,
            timeout,
            runSeed,
            warmupTx);
    SignedEnvelopes envelopes =
        new SignedEnvelopes(
            ClientIdentity.signer(target, Ecdsa.preferred()),
            ClientIdentity.tlsCertificateDer(target),
            new SecureRandom());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "ordo bench: signing %d transactions%s, envelopes of %d bytes (seed %d)%n",
        tx,
        warmupTx > 0 ? " and " + warmupTx + " to warm up" : "",
        size,
        runSeed);
    out.flush();
    long signStart = System.nanoTime();
    PreparedTransactions txs;
    PreparedTransactions warmupTxs;
    try {
      Instant now = Instant.now();
      txs = PreparedTransactions.sign(envelopes, target.channel(), tx, size, runSeed, now);
      warmupTxs =
          PreparedTransactions.sign(envelopes, target.channel(), warmupTx, size, ~runSeed, now);
    } catch (EnvelopeSizeException e) {
      throw new CommandFailedException(e.getMessage(), e);
    }
    out.printf(
        Locale.ROOT,
        "signed in %.1f s; envelopes of %d bytes (%d random); sending over %d streams to %s,"
            + " channel %s%n",
        (System.nanoTime() - signStart) / 1e9,
        txs.meanEnvelopeBytes(),
        txs.meanRandomBytes(),
        streams,
        String.join(",", settings.orderers()),
        target.channel());
    out.flush();
    if (warmupTx > 0) {
      warmUp(out, target, settings, envelopes, warmupTxs);
    }
    Optional<Consumer<BenchProgress>> ticker = Optional.empty();
    ProgressBar bar = null;
    if (context.terminal()) {
      ProgressBar b = new ProgressBar(out, System.nanoTime());
      bar = b;
      ticker =
          Optional.of(
              p -> b.draw(p.ackedCount(), p.committedCount(), p.total(), System.nanoTime()));
    }
    BenchResult result;
    try {
      result = new BenchRun(target, settings, envelopes).run(txs, ticker);
    } finally {
      if (bar != null) {
        bar.finish();
      }
    }
    print(out, result, context.style());
    if (report != null) {
      BenchReport.write(report, result, Instant.now());
      out.println("report     " + report.resolve(BenchReport.REPORT_HTML));
    }
    out.flush();
    if (!result.complete()) {
      throw incomplete("", result);
    }
    return ExitCodes.OK;
  }

  /** Exit 4, naming how many of the run's transactions were committed and why not the rest. */
  private CommandFailedException incomplete(String prefix, BenchResult r) {
    return new CommandFailedException(
        prefix
            + "not every transaction was committed: "
            + r.committed()
            + " of "
            + r.tx()
            + (r.timedOut() ? " within " + timeout : "")
            + "; errors: "
            + BenchReport.errors(r.errors()),
        ExitCodes.INCOMPLETE,
        null);
  }

  /** A tenth of the run, at most 5,000: enough for the client's JIT, little next to the run. */
  static int defaultWarmup(int tx) {
    return Math.min(tx / 10, 5_000);
  }

  /**
   * Runs the warm-up transactions the way the timed ones will run, and fails the command if they
   * are not all committed: the timed run would not fare better.
   */
  private void warmUp(
      PrintWriter out,
      OrdererTarget target,
      BenchSettings settings,
      SignedEnvelopes envelopes,
      PreparedTransactions warmupTxs)
      throws InterruptedException {
    BenchResult warm = new BenchRun(target, settings, envelopes).run(warmupTxs, Optional.empty());
    if (!warm.complete()) {
      throw incomplete("warm-up: ", warm);
    }
    out.printf(
        Locale.ROOT,
        "warm-up    %d transactions committed in %s s (not counted)%n",
        warm.committed(),
        BenchReport.fmt(warm.durationSeconds()));
    out.flush();
  }

  static void print(PrintWriter out, BenchResult r, Style style) {
    String committed =
        r.committed() + " of " + r.tx() + " in " + BenchReport.fmt(r.durationSeconds()) + " s";
    out.println("committed  " + (r.complete() ? style.ok(committed) : style.failure(committed)));
    out.println(
        "envelopes  " + r.envelopeBytes() + " bytes (" + r.payloadBytes() + " random bytes each)");
    out.println("acked      " + BenchReport.fmt(r.ackedTps()) + " tx/s");
    out.println("committed  " + BenchReport.fmt(r.committedTps()) + " tx/s");
    out.println(
        "latency    p50 "
            + BenchReport.fmt(r.p50Ms())
            + " ms, p90 "
            + BenchReport.fmt(r.p90Ms())
            + " ms, p99 "
            + BenchReport.fmt(r.p99Ms())
            + " ms, max "
            + BenchReport.fmt(r.maxMs())
            + " ms");
    out.println("blocks     " + r.blocks() + " (" + BenchReport.fmt(r.txPerBlock()) + " tx/block)");
    String errors = BenchReport.errors(r.errors());
    out.println("errors     " + (r.errors().isEmpty() ? errors : style.warning(errors)));
    out.println(
        "streams    "
            + r.streamErrors()
            + " stream errors"
            + (r.duplicates() > 0 ? ", " + r.duplicates() + " transactions ordered twice" : ""));
  }
}
