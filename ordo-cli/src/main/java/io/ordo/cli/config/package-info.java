/**
 * {@code ordo config}, {@code ordo consenter} and {@code ordo orderer-endpoints}: a channel's
 * config read over Deliver, edited, turned into a config update as configtxlator computes it,
 * checked as the orderer will check it, signed by the admins, submitted, and its config block
 * waited for.
 */
package io.ordo.cli.config;
