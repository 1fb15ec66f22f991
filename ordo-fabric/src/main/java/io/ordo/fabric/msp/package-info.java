/**
 * Fabric's X.509 membership service providers: the MSP config of an organisation, deserialising and
 * validating identities (certificate chains, CRLs, NodeOUs), matching principals (role, OU,
 * identity), and the node's local signing identity read from an msp directory. Uses {@code crypto}.
 */
package io.ordo.fabric.msp;
