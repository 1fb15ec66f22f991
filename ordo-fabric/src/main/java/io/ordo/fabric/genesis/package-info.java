/**
 * Making an application channel's genesis block from a Fabric configtx.yaml, with the structure
 * configtxgen gives it (no system channel). Uses {@code crypto}, {@code envelope}, {@code msp},
 * {@code policy} and {@code block}.
 */
package io.ordo.fabric.genesis;
