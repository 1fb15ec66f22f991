/**
 * What the node does with protobuf messages from the network before they reach it: lenient parsing
 * of requests ({@link io.ordo.orderer.rpc.LenientMarshaller}, {@link io.ordo.orderer.rpc.Inbound}),
 * decoding that shares bytes instead of copying them ({@link io.ordo.orderer.rpc.SharedBytes}:
 * blocks, envelopes and raft messages), and rate-limited warnings per peer ({@link
 * io.ordo.orderer.rpc.PeerLog}).
 */
package io.ordo.orderer.rpc;
