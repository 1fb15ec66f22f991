/**
 * The {@code network.json} description of a running network ({@link
 * io.ordo.cli.network.NetworkFile}), written by {@code ordo network up} and read by the commands
 * that take {@code --network DIR}.
 */
package io.ordo.cli.network;
