/**
 * The Broadcast half of {@code orderer.AtomicBroadcast}: one {@code BroadcastResponse} per received
 * envelope, in the order received, with the status and info Fabric v3.0 gives for each failure; the
 * stream ends after the first answer that is not SUCCESS.
 *
 * <p>Owns the per-stream pipeline (envelopes of one stream are validated in parallel on a bounded
 * pool, then handed to the chain and answered in order by the pool thread that completes the head
 * of the stream, or on a virtual thread when the chain would wait, so that a chain that pauses
 * intake parks no platform thread), the interfaces through which it reaches a channel ({@link
 * io.ordo.orderer.broadcast.BroadcastChannels}, {@link io.ordo.orderer.broadcast.BroadcastSupport})
 * and Fabric's broadcast metrics. Depends on {@code msgprocessor} for the checks themselves.
 */
package io.ordo.orderer.broadcast;
