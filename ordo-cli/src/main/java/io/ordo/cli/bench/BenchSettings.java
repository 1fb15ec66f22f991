package io.ordo.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a run is asked to do.
 *
 * @param orderers the Broadcast endpoints, the streams spread over them in turn
 * @param channel the channel ID
 * @param tx how many transactions
 * @param envelopeBytes the marshalled size of each envelope
 * @param streams Broadcast streams
 * @param window unanswered envelopes allowed per stream
 * @param timeout the bound on the whole run, from the first send
 * @param seed the seed of the random payloads
 * @param warmupTx transactions sent and committed before the timed ones, not counted
 */
public record BenchSettings(
    List<String> orderers,
    String channel,
    int tx,
    int envelopeBytes,
    int streams,
    int window,
    Duration timeout,
    long seed,
    int warmupTx) {
  public BenchSettings {
    orderers = List.copyOf(orderers);
  }
}
