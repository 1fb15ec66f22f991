package io.ordo.cli.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The figures of one run, as {@code result.json} holds them. Throughputs are counted from the first
 * send to the last acknowledgement (acked) or the last commit (committed); latency is from send to
 * the transaction's appearance in a block delivered by the first orderer.
 *
 * @param warmupTx transactions committed before the run and not counted in it
 * @param errors transactions the orderers refused, by Broadcast status
 * @param streamErrors Broadcast or Deliver calls that failed and were opened again
 * @param duplicates transactions seen in more than one block (sent again after a stream failure)
 */
public record BenchResult(
    @JsonProperty("orderers") List<String> orderers,
    @JsonProperty("channel") String channel,
    @JsonProperty("tx") int tx,
    @JsonProperty("warmup_tx") int warmupTx,
    @JsonProperty("payload_bytes") int payloadBytes,
    @JsonProperty("envelope_bytes") long envelopeBytes,
    @JsonProperty("streams") int streams,
    @JsonProperty("acked") int acked,
    @JsonProperty("committed") int committed,
    @JsonProperty("acked_tps") double ackedTps,
    @JsonProperty("committed_tps") double committedTps,
    @JsonProperty("p50_ms") double p50Ms,
    @JsonProperty("p90_ms") double p90Ms,
    @JsonProperty("p99_ms") double p99Ms,
    @JsonProperty("max_ms") double maxMs,
    @JsonProperty("blocks") int blocks,
    @JsonProperty("tx_per_block") double txPerBlock,
    @JsonProperty("errors") Map<String, Integer> errors,
    @JsonProperty("stream_errors") long streamErrors,
    @JsonProperty("duplicates") long duplicates,
    @JsonProperty("duration_s") double durationSeconds,
    @JsonProperty("timed_out") boolean timedOut,
    @JsonProperty("timeline") List<Sample> timeline) {
  public BenchResult {
    orderers = List.copyOf(orderers);
    errors = Map.copyOf(errors);
    timeline = List.copyOf(timeline);
  }

  /** Whether every transaction was committed. */
  public boolean complete() {
    return committed == tx;
  }

  /**
   * One interval of the run.
   *
   * @param atSeconds the end of the interval, from the first send
   * @param ackedTps acknowledgements per second in the interval
   * @param committedTps commits per second in the interval
   * @param p50Ms median latency of the transactions committed in it (0 when none)
   * @param p99Ms their 99th percentile
   */
  public record Sample(
      @JsonProperty("t_s") double atSeconds,
      @JsonProperty("acked_tps") double ackedTps,
      @JsonProperty("committed_tps") double committedTps,
      @JsonProperty("p50_ms") double p50Ms,
      @JsonProperty("p99_ms") double p99Ms) {}
}
