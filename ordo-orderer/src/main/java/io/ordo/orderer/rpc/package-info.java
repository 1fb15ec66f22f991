/**
 * What every gRPC service of the node does with requests from the network before they reach it:
 * lenient parsing ({@link io.ordo.orderer.rpc.LenientMarshaller}, {@link
 * io.ordo.orderer.rpc.Inbound}), decoding that shares bytes instead of copying them ({@link
 * io.ordo.orderer.rpc.SharedBytes}: blocks, envelopes and raft messages), rate-limited warnings per
 * peer ({@link io.ordo.orderer.rpc.PeerLog}) and the transport's own logging of oversized messages
 * kept quiet ({@link io.ordo.orderer.rpc.TransportLog}).
 */
package io.ordo.orderer.rpc;
