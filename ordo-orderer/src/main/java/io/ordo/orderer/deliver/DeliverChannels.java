package io.ordo.orderer.deliver;

import java.util.Optional;

/**
 * The channels this node serves blocks of: the chains of the registrar (channels it only follows
 * are not among them, so Deliver answers NOT_FOUND for those, as Fabric does).
 */
@FunctionalInterface
public interface DeliverChannels {
  Optional<DeliverSupport> channel(String channelId);
}
