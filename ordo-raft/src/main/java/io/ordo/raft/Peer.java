package io.ordo.raft;

import com.google.protobuf.ByteString;

/**
 * A member given to {@link RawNode#bootstrap}; the context (may be null) rides in its ConfChange.
 */
public record Peer(long id, ByteString context) {
  public static Peer of(long id) {
    return new Peer(id, null);
  }
}
