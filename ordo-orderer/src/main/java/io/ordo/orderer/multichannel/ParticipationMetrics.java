package io.ordo.orderer.multichannel;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordo.orderer.admin.ChannelInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Fabric v3.0's channel participation gauges (orderer/common/multichannel/metrics.go), read from
 * the registrar at each scrape: {@code participation_status{channel}} 0 inactive, 1 active, 2
 * onboarding, 3 failed; {@code participation_consensus_relation{channel}} 0 other, 1 consenter, 2
 * follower, 3 config-tracker. A channel keeps its series once seen; removed, it reads inactive.
 */
final class ParticipationMetrics {
  private static final Map<String, Integer> STATUS =
      Map.of("inactive", 0, "active", 1, "onboarding", 2, "failed", 3);
  private static final Map<String, Integer> RELATION =
      Map.of("other", 0, "consenter", 1, "follower", 2, "config-tracker", 3);

  private final MeterRegistry registry;
  private final Function<String, Optional<ChannelInfo>> channels;
  private final Set<String> tracked = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> lastRelation = new ConcurrentHashMap<>();

  ParticipationMetrics(MeterRegistry registry, Function<String, Optional<ChannelInfo>> channels) {
    this.registry = registry;
    this.channels = channels;
  }

  /** Starts the series of a channel the first time it is seen. */
  void track(String channel) {
    if (!tracked.add(channel)) {
      return;
    }
    Gauge.builder("participation_status", () -> status(channel))
        .description(
            "The channel participation status of the node: 0 if inactive, 1 if active, 2 if"
                + " onboarding, 3 if failed.")
        .tag("channel", channel)
        .register(registry);
    Gauge.builder("participation_consensus_relation", () -> relation(channel))
        .description(
            "The channel participation consensus relation of the node: 0 if other, 1 if"
                + " consenter, 2 if follower, 3 if config-tracker.")
        .tag("channel", channel)
        .register(registry);
  }

  private int status(String channel) {
    return channels.apply(channel).map(i -> STATUS.getOrDefault(i.status(), 0)).orElse(0);
  }

  /** The relation it had last: Fabric leaves the gauge as it was when a channel goes. */
  private int relation(String channel) {
    Optional<Integer> now =
        channels.apply(channel).map(i -> RELATION.getOrDefault(i.consensusRelation(), 0));
    now.ifPresent(r -> lastRelation.put(channel, r));
    return now.orElseGet(() -> lastRelation.getOrDefault(channel, 0));
  }
}
