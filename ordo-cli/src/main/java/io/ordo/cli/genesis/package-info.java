/**
 * {@code ordo genesis}: configtxgen's genesis block output over ordo-fabric's {@code genesis}
 * package, with configtxgen's flags and its FABRIC_CFG_PATH lookup.
 */
package io.ordo.cli.genesis;
