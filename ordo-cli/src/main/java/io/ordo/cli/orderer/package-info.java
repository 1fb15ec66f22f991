/**
 * {@code ordo orderer}: running an orderer node of ordo-orderer from the command line ({@code
 * start}) and draining one of its leaderships ({@code drain}). The client side of the orderer's
 * services that the other commands use lives in {@link io.ordo.cli.client}.
 */
package io.ordo.cli.orderer;
