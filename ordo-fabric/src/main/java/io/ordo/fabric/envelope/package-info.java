/**
 * Envelopes as an orderer receives them: bounded decoding of Payload, ChannelHeader and
 * SignatureHeader, the header checks (size, channel, timestamp window, TLS binding, tx id) and
 * creating signed envelopes. Uses {@code crypto} only.
 */
package io.ordo.fabric.envelope;
