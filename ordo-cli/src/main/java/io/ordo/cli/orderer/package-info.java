/** {@code ordo orderer}: running an orderer node of ordo-orderer from the command line. */
package io.ordo.cli.orderer;
