/**
 * {@code ordo network up|down|status}: a local ordering service of orderer processes on loopback,
 * and its {@code network.json} description ({@link io.ordo.cli.network.NetworkFile}), read by the
 * commands that take {@code --network DIR}.
 */
package io.ordo.cli.network;
