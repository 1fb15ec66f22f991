/**
 * The Deliver half of {@code orderer.AtomicBroadcast} (Fabric's common/deliver): SeekInfo requests
 * answered with blocks from the channel's ledger and then one final status, with Fabric v3.0's
 * statuses for every failure.
 *
 * <p>Owns request checking ({@link io.ordo.orderer.deliver.SeekRequests}), positions, the session
 * access control that re-evaluates {@code /Channel/Readers} whenever the config moved on, and the
 * per-stream loop ({@link io.ordo.orderer.deliver.DeliverStream}), which runs on a virtual thread,
 * waits for blocks through {@code BlockLedger.awaitHeight} futures and sends only while gRPC says
 * the client can take more. Reaches channels through {@link
 * io.ordo.orderer.deliver.DeliverChannels}; depends on ordo-storage and ordo-fabric only.
 */
package io.ordo.orderer.deliver;
