/**
 * Fabric blocks: the data and header hashes that chain them, building the next block, the metadata
 * slots, the orderer signature a v3.0 orderer writes, and verifying a received block against the
 * channel's BlockValidation policy. Uses {@code crypto} and the {@code policy} interface only.
 */
package io.ordo.fabric.block;
