package io.ordo.orderer.broadcast;

import java.util.Optional;

/**
 * The channels this node can take envelopes for: Fabric's registrar lookup. Channels the node only
 * follows are not among them (Broadcast answers "channel does not exist" for those too).
 */
@FunctionalInterface
public interface BroadcastChannels {
  Optional<BroadcastSupport> channel(String channelId);
}
