/**
 * {@code ordo blocks}: blocks fetched from an orderer's Deliver service ({@link
 * io.ordo.cli.blocks.BlocksFetchCommand}, through {@code io.ordo.cli.orderer}), block files read
 * from disk, printed as configtxlator-style JSON ({@link io.ordo.fabric.json.FabricJson}) and
 * verified as a chain against the channel's BlockValidation policy ({@link
 * io.ordo.cli.blocks.ChainVerifier}). Uses ordo-fabric's {@code block}, {@code policy}, {@code msp}
 * and {@code channelconfig} packages.
 */
package io.ordo.cli.blocks;
