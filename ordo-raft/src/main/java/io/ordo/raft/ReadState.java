package io.ordo.raft;

import com.google.protobuf.ByteString;

/**
 * The answer to a {@link RawNode#readIndex} request: once the application has applied up to {@code
 * index}, a read identified by {@code requestCtx} is linearizable.
 */
public record ReadState(long index, ByteString requestCtx) {}
