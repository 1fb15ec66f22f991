/**
 * {@code ordo bench}: pre-signed Fabric transactions ({@link
 * io.ordo.cli.bench.PreparedTransactions}) sent over pipelined Broadcast streams ({@link
 * io.ordo.cli.bench.BroadcastWorker}), watched into blocks on a Deliver stream ({@link
 * io.ordo.cli.bench.CommitWatcher}), summed up as a {@link io.ordo.cli.bench.BenchResult} and
 * written as {@code result.json} and a self-contained HTML page ({@link
 * io.ordo.cli.bench.BenchReport}). Uses {@code io.ordo.cli.orderer} for the client side.
 */
package io.ordo.cli.bench;
