package io.ordo.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a run is asked to do.
 *
 * @param orderers the Broadcast endpoints, the streams spread over them in turn
 * @param channel the channel ID
 * @param tx how many transactions
 * @param envelopeBytes the marshalled size of each envelope, or 0 when {@code payloadBytes} says
 *     the size instead
 * @param payloadBytes the random bytes of each envelope, or 0 when {@code envelopeBytes} says the
 *     size instead
 * @param streams Broadcast streams
 * @param window unanswered envelopes allowed per stream
 * @param timeout the bound on the whole run, from the first send
 * @param seed the seed of the random payloads
 * @param warmupTx transactions sent and committed before the timed ones, not counted
 * @param runThroughFailures whether the streams go on through orderer failures, never sending a
 *     transaction twice ({@link FailoverWorker}), rather than sending again what a failed stream
 *     left unanswered and failing the run when an orderer stays unreachable
 * @param settle with {@code runThroughFailures}: the last part of {@code timeout}, kept for waiting
 *     for the acknowledged transactions to be committed and for reading the final chains
 * @param deliverFrom the orderer whose Deliver stream says when a transaction is committed (the
 *     others of {@code orderers} after it, in turn, when it fails)
 */
public record BenchSettings(
    List<String> orderers,
    String channel,
    int tx,
    int envelopeBytes,
    int payloadBytes,
    int streams,
    int window,
    Duration timeout,
    long seed,
    int warmupTx,
    boolean runThroughFailures,
    Duration settle,
    String deliverFrom) {
  public BenchSettings {
    orderers = List.copyOf(orderers);
  }

  /** The orderers the Deliver watcher takes in turn: {@code deliverFrom} first. */
  public List<String> deliverOrder() {
    List<String> order = new java.util.ArrayList<>(List.of(deliverFrom));
    orderers.stream().filter(o -> !o.equals(deliverFrom)).forEach(order::add);
    return order;
  }
}
