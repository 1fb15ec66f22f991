/**
 * {@code ordo bench}: pre-signed Fabric transactions ({@link
 * io.ordo.cli.bench.PreparedTransactions}) sent over pipelined Broadcast streams ({@link
 * io.ordo.cli.bench.BroadcastWorker}), watched into blocks on a Deliver stream ({@link
 * io.ordo.cli.bench.CommitWatcher}), summed up as a {@link io.ordo.cli.bench.BenchResult} and
 * written as {@code result.json} and a self-contained HTML page ({@link
 * io.ordo.cli.bench.BenchReport}). With {@code --acked-report} the streams run through orderer
 * failures ({@link io.ordo.cli.bench.FailoverWorker}), each transaction's answer is kept ({@link
 * io.ordo.cli.bench.AnswerBook}), and every orderer's final chain ({@link
 * io.ordo.cli.bench.FinalChains}) is held to those answers ({@link io.ordo.cli.bench.ChainAudit})
 * in an {@link io.ordo.cli.bench.AckedReport}. Uses {@code io.ordo.cli.orderer} for the client
 * side.
 */
package io.ordo.cli.bench;
