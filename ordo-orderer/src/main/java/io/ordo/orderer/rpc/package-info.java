/**
 * What every gRPC service of the node does with requests from the network before they reach it:
 * lenient parsing ({@link io.ordo.orderer.rpc.LenientMarshaller}, {@link
 * io.ordo.orderer.rpc.Inbound}) and rate-limited warnings per peer ({@link
 * io.ordo.orderer.rpc.PeerLog}).
 */
package io.ordo.orderer.rpc;
