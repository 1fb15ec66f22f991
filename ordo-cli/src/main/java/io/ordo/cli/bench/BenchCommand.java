package io.ordo.cli.bench;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.Style;
import io.ordo.cli.client.ClientIdentity;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.fabric.crypto.Ecdsa;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
          + " --report DIR writes result.json and report.html.",
      "--acked-report FILE: the streams run through orderer failures (a broken stream moves to the"
          + " next orderer and never sends a transaction twice), then every orderer's chain is read"
          + " and held to the answers: every transaction acknowledged with SUCCESS in it, none"
          + " twice, the chains agreeing; FILE gets the counts, the faults and the findings (JSON)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every transaction was committed",
      "1:an input could not be used, or an orderer could not be reached (--acked-report: no"
          + " orderer's chain could be read)",
      "2:wrong usage",
      "4:not every transaction was committed (refusals, or the timeout)",
      "5:--acked-report: an acknowledged transaction is missing from the final chain, one is in it"
          + " twice, or the orderers' chains differ"
    })
public final class BenchCommand implements Callable<Integer> {
  private static final Duration REACH_TIMEOUT = Duration.ofSeconds(3);

  /**
   * A cryptogen client's signed transaction takes about 2 KB before any random byte (its PEM
   * certificate appears twice); 3 KB leaves about 1 KB of random bytes, Fabric's usual "1 KB
   * transaction".
   */
  static final int DEFAULT_ENVELOPE_BYTES = 3072;

  /** Deep enough for Fabric's own load clients (500 unanswered per stream) and beyond. */
  static final int MAX_WINDOW = 1000;

  /** The longest default of {@code --settle}: time for a node restarted late to catch up. */
  private static final Duration DEFAULT_SETTLE = Duration.ofSeconds(30);

  /** The least time given to reading the final chains, however little of the timeout is left. */
  private static final Duration MIN_READ = Duration.ofSeconds(1);

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
              + " the creator certificate (twice) and the signature leave (default "
              + DEFAULT_ENVELOPE_BYTES
              + ").")
  private Integer size;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      description =
          "Random data bytes in each transaction, as Fabric's load tools count a transaction's"
              + " size, instead of --size: the envelope is that plus about 2 KB of headers,"
              + " certificates and signature.")
  private Integer payload;

  @Option(
      names = "--deliver-from",
      paramLabel = "ORDERER",
      description =
          "The orderer whose Deliver stream times the commits: host:port, or with --network a"
              + " node's name or raft ID (default: the first orderer).")
  private String deliverFrom;

  @Option(
      names = "--streams",
      paramLabel = "N",
      description = "Broadcast streams, spread over the orderers (default ${DEFAULT-VALUE}).")
  private int streams = 8;

  @Option(
      names = "--window",
      paramLabel = "N",
      description =
          "Unanswered envelopes allowed per stream, at most "
              + MAX_WINDOW
              + " (default ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--acked-report",
      paramLabel = "FILE",
      description =
          "Run through orderer failures, then audit the final chains against the Broadcast"
              + " answers and write the findings to FILE as JSON (exit 5 when an acknowledged"
              + " transaction is missing, one is duplicated, or the chains differ).")
  private Path ackedReport;

  @Option(
      names = "--settle",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "With --acked-report: the last part of --timeout kept for waiting for the acknowledged"
              + " transactions to be committed and for reading every orderer's chain (default 30s,"
              + " or a quarter of --timeout when that is shorter).")
  private Duration settle;

  BenchCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (size != null && payload != null) {
      throw new ParameterException(spec.commandLine(), "give --size or --payload, not both");
    }
    int envelopeBytes =
        payload == null && size == null ? DEFAULT_ENVELOPE_BYTES : size == null ? 0 : size;
    if (tx < 1 || envelopeBytes < 0 || (size != null && size < 1) || streams < 1 || window < 1) {
      throw new ParameterException(
          spec.commandLine(), "--tx, --size, --streams and --window must be positive");
    }
    if (payload != null && payload < 1) {
      throw new ParameterException(spec.commandLine(), "--payload must be positive");
    }
    if (window > MAX_WINDOW) {
      throw new ParameterException(
          spec.commandLine(), "--window must be at most " + MAX_WINDOW + ", not " + window);
    }
    if (warmup != null && warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more");
    }
    int warmupTx = warmup != null ? warmup : defaultWarmup(tx);
    boolean audited = ackedReport != null;
    if (settle != null && !audited) {
      throw new ParameterException(spec.commandLine(), "--settle is for --acked-report only");
    }
    Duration settleTime = settle != null ? settle : defaultSettle(timeout);
    if (audited && settleTime.compareTo(timeout) >= 0) {
      throw new ParameterException(spec.commandLine(), "--settle must be shorter than --timeout");
    }
    OrdererTarget target = orderer.resolve(spec.commandLine());
    String watched =
        deliverFrom == null
            ? target.endpoints().getFirst().toString()
            : orderer.endpointOf(deliverFrom).toString();
    long runSeed = seed != null ? seed : new SecureRandom().nextLong();
    BenchSettings settings =
        new BenchSettings(
            target.endpoints().stream().map(OrdererEndpoint::toString).toList(),
            target.channel(),
            tx,
            envelopeBytes,
            payload == null ? 0 : payload,
            streams,
            window,
            timeout,
            runSeed,
            warmupTx,
            audited,
            settleTime,
            watched);
    SignedEnvelopes envelopes =
        new SignedEnvelopes(
            ClientIdentity.signer(target, Ecdsa.preferred()),
            ClientIdentity.tlsCertificateDer(target),
            new SecureRandom());
    OrdererReachability.check(target.endpoints(), REACH_TIMEOUT);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "ordo bench: signing %d transactions%s, %s (seed %d)%n",
        tx,
        warmupTx > 0 ? " and " + warmupTx + " to warm up" : "",
        payload != null
            ? payload + " random bytes each"
            : "envelopes of " + envelopeBytes + " bytes",
        runSeed);
    out.flush();
    long signStart = System.nanoTime();
    PreparedTransactions txs;
    PreparedTransactions warmupTxs;
    try {
      Instant now = Instant.now();
      txs = prepare(envelopes, target.channel(), tx, envelopeBytes, runSeed, now);
      warmupTxs = prepare(envelopes, target.channel(), warmupTx, envelopeBytes, ~runSeed, now);
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
    BenchRun.Outcome outcome;
    try {
      outcome = new BenchRun(target, settings, envelopes).run(txs, ticker);
    } finally {
      if (bar != null) {
        bar.finish();
      }
    }
    BenchResult result = outcome.result();
    print(out, result, context.style());
    AckedReport acked = audited ? audit(out, target, txs, outcome) : null;
    if (report != null) {
      BenchReport.write(report, result, Instant.now());
      out.println("report     " + report.resolve(BenchReport.REPORT_HTML));
    }
    out.flush();
    int exit = acked != null ? acked.exitCode(result.complete()) : ExitCodes.OK;
    if (exit == ExitCodes.INCOMPLETE || (acked == null && !result.complete())) {
      throw incomplete("", result);
    }
    if (exit != ExitCodes.OK) {
      throw new CommandFailedException(acked.failure(), exit, null);
    }
    return ExitCodes.OK;
  }

  /**
   * Reads every orderer's chain within what is left of the timeout, holds it to the run's answers,
   * prints the audit's lines and writes {@code --acked-report}.
   */
  private AckedReport audit(
      PrintWriter out, OrdererTarget target, PreparedTransactions txs, BenchRun.Outcome outcome) {
    out.flush();
    Duration left = Duration.ofNanos(outcome.deadlineNanos() - System.nanoTime());
    List<ChainAudit.NodeChain> chains =
        FinalChains.read(target, txs, left.compareTo(MIN_READ) < 0 ? MIN_READ : left);
    AckedReport acked =
        AckedReport.of(
            target.channel(),
            ChainAudit.audit(outcome.answers(), txs::txId, chains),
            outcome.faults(),
            outcome.gaps());
    printAudit(out, acked, context.style());
    JsonReport.write(ackedReport, acked);
    return acked;
  }

  /** 30 s, or a quarter of the timeout when that is shorter. */
  static Duration defaultSettle(Duration timeout) {
    Duration quarter = timeout.dividedBy(4);
    return quarter.compareTo(DEFAULT_SETTLE) < 0 ? quarter : DEFAULT_SETTLE;
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

  /** Transactions of the size asked for: by --payload, else by envelope size. */
  private PreparedTransactions prepare(
      SignedEnvelopes signer,
      String channel,
      int count,
      int envelopeBytes,
      long seed,
      Instant now) {
    return payload != null
        ? PreparedTransactions.signPayload(signer, channel, count, payload, seed, now)
        : PreparedTransactions.sign(signer, channel, count, envelopeBytes, seed, now);
  }

  /** A tenth of the run, at most 5,000: enough for the client's JIT, little next to the run. */
  static int defaultWarmup(int tx) {
    return Math.min(tx / 10, 5_000);
  }

  /**
   * Runs the warm-up transactions the way the timed ones will run, and fails the command if they
   * are not all committed: the timed run would not fare better. A run that goes through failures
   * goes on all the same: a failure may have come during the warm-up.
   */
  private void warmUp(
      PrintWriter out,
      OrdererTarget target,
      BenchSettings settings,
      SignedEnvelopes envelopes,
      PreparedTransactions warmupTxs)
      throws InterruptedException {
    BenchResult warm =
        new BenchRun(target, settings, envelopes).run(warmupTxs, Optional.empty()).result();
    if (!warm.complete() && !settings.runThroughFailures()) {
      throw incomplete("warm-up: ", warm);
    }
    out.printf(
        Locale.ROOT,
        "warm-up    %s transactions committed in %s s (not counted)%n",
        warm.complete()
            ? Integer.toString(warm.committed())
            : warm.committed() + " of " + warm.tx(),
        BenchReport.fmt(warm.durationSeconds()));
    out.flush();
  }

  /** The audit's line (counts and findings) and the faults' line. */
  static void printAudit(PrintWriter out, AckedReport r, Style style) {
    AckedReport.Answers a = r.answers();
    AckedReport.InChain c = r.inChain();
    String chains =
        r.chainsRead() == 0
            ? "no chain read"
            : (r.chainsAgree() ? "chains agree" : "chains differ")
                + " ("
                + String.join(
                    ", ",
                    r.nodes().stream()
                        .map(
                            n ->
                                n.orderer()
                                    + " "
                                    + (n.height() == null ? "unreadable" : "height " + n.height()))
                        .toList())
                + ")";
    String line =
        a.sent()
            + " sent: "
            + a.success()
            + " SUCCESS ("
            + c.success()
            + " in chain), "
            + a.refused()
            + " refused ("
            + c.refused()
            + " in chain), "
            + a.unanswered()
            + " unanswered ("
            + c.unanswered()
            + " in chain)"
            + (a.notSent() > 0 ? ", " + a.notSent() + " not sent" : "")
            + "; "
            + r.ackedMissing().total()
            + " acknowledged missing, "
            + r.duplicated().total()
            + " duplicated; "
            + chains;
    out.println("audit      " + (r.passed() ? style.ok(line) : style.failure(line)));
    AckedReport.Faults f = r.faults();
    String perNode =
        String.join(
            ", ",
            r.nodes().stream()
                .filter(n -> n.broadcastBreaks() + n.deliverBreaks() > 0)
                .map(
                    n ->
                        n.orderer()
                            + " "
                            + n.broadcastBreaks()
                            + " broadcast, "
                            + n.deliverBreaks()
                            + " deliver")
                .toList());
    out.println(
        "faults     "
            + f.streamBreaks()
            + " stream breaks"
            + (perNode.isEmpty() ? "" : " (" + perNode + ")")
            + ", "
            + f.reconnections()
            + " reconnections, longest commit gap "
            + BenchReport.fmt(f.longestCommitGapMs())
            + " ms, first break to commit "
            + (f.firstBreakToCommitMs() == null
                ? "none"
                : BenchReport.fmt(f.firstBreakToCommitMs()) + " ms"));
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
