/**
 * Cutting ordered envelopes into batches, one batch per block, by the channel's BatchSize rules
 * exactly as Fabric's blockcutter does. The batch timer belongs to the chain loop, not here.
 */
package io.ordo.orderer.blockcutter;
