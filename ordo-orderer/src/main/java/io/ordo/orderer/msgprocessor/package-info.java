/**
 * Message processing for application channels, as Fabric's msgprocessor: classifying envelopes, the
 * standard filters (empty, size, expiration, signature against {@code /Channel/Writers}), turning
 * config updates into orderer-signed config envelopes, re-validation when the config sequence
 * moved, and the mapping of refusals to Broadcast statuses.
 */
package io.ordo.orderer.msgprocessor;
