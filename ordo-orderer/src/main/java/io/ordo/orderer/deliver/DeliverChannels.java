package io.ordo.orderer.deliver;

import java.util.Optional;

/**
 * The channels this node serves blocks of: the chains of the registrar (channels it only follows
 * are not among them, so Deliver answers NOT_FOUND for those, as Fabric does).
 */
@FunctionalInterface
public interface DeliverChannels {
  Optional<DeliverSupport> channel(String channelId);

  /**
   * Why a channel this node holds cannot serve blocks now (its data was found damaged and it is
   * being rebuilt, or it failed): Deliver answers SERVICE_UNAVAILABLE rather than NOT_FOUND.
   */
  default Optional<String> unavailable(String channelId) {
    return Optional.empty();
  }
}
