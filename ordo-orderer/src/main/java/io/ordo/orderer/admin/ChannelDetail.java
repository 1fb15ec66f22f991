package io.ordo.orderer.admin;

import java.util.Optional;

/**
 * One Ordo-only part of a channel's detailed view: the participation API adds it, under {@code
 * "ordo": {key: value}}, to each channel it lists or shows when asked with {@code ?details=true};
 * without the parameter its answers are Fabric's, byte for byte.
 */
public interface ChannelDetail {
  /** The JSON key of this part. */
  String key();

  /** Its value for {@code channel} (JSON-writable: maps, lists, strings, numbers), if any. */
  Optional<Object> of(String channel);
}
