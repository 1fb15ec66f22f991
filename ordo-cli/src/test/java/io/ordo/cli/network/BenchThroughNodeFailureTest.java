package io.ordo.cli.network;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.admin.OperationsClient;
import io.ordo.cli.admin.ParticipationClient;
import io.ordo.cli.testing.LocalNetworks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --acked-report} against three real node processes, one of which is killed mid-run:
 * the streams that were on it move to the other two, the run goes on there, and the report holds
 * what the client saw and what the chains hold. Whichever node dies, nothing it or the others
 * answered SUCCESS is missing from the chains.
 */
class BenchThroughNodeFailureTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final int TX = 20_000;

  @TempDir Path dir;
  private final OperationsClient operations = new OperationsClient();

  @AfterEach
  void downWhateverRuns() {
    LocalNetworks.stopWhateverRuns(dir);
  }

  private ParticipationClient adminOf(NetworkFile network) {
    return ParticipationClient.mutualTls(
        NetworkFile.resolve(dir, network.tlsCaFile()),
        NetworkFile.resolve(dir, network.admin().certFile()),
        NetworkFile.resolve(dir, network.admin().keyFile()));
  }

  private static long height(ParticipationClient admin, NetworkFile.Node node) {
    return admin.status(node.adminEndpoint(), "mychannel").orElseThrow().height();
  }

  @Test
  void aFollowerKilledMidRunIsRunThroughAndTheAuditSaysWhatTheChainsHold() throws Exception {
    killMidRun(false);
  }

  @Test
  void aLeaderKilledMidRunLosesNothingThatWasAcknowledged() throws Exception {
    killMidRun(true);
  }

  private void killMidRun(boolean killLeader) throws Exception {
    NetworkFile network = LocalNetworks.upDetached(dir, 3, 1);
    Path report = dir.resolve("acked.json");
    NetworkFile.Node victim;
    NetworkFile.Node leader;
    CompletableFuture<Cli.Result> bench;
    try (ParticipationClient admin = adminOf(network)) {
      leader =
          await()
              .atMost(AWAIT)
              .until(
                  () ->
                      network.nodes().stream()
                          .filter(
                              n -> operations.isLeader(n.operations(), "mychannel").orElse(false))
                          .findFirst()
                          .orElse(null),
                  n -> n != null);
      victim =
          killLeader
              ? leader
              : network.nodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      NetworkFile.Node watched =
          network.nodes().stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
      long before = height(admin, watched);
      bench =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      "bench",
                      "--network",
                      dir.toString(),
                      "--tx",
                      Integer.toString(TX),
                      "--streams",
                      "6",
                      "--warmup",
                      "0",
                      "--timeout",
                      "3m",
                      "--acked-report",
                      report.toString()));
      // the run is under way once the chain grows
      await().atMost(AWAIT).until(() -> height(admin, watched) >= before + 3);
    }
    ProcessHandle killed =
        new NodeProcesses(dir).running(NetworkLayout.nodeName((int) victim.raftId())).orElseThrow();
    killed.destroyForcibly();
    await().atMost(AWAIT).until(() -> !killed.isAlive());

    Cli.Result r = bench.get(5, TimeUnit.MINUTES);

    JsonNode j = new ObjectMapper().readTree(report.toFile());
    String seen = r.out() + r.err();
    assertThat(j.at("/duplicated/total").asInt()).as(seen).isZero();
    assertThat(j.get("chains_agree").asBoolean()).as(seen).isTrue();
    assertThat(j.get("chains_read").asInt()).as(seen).isEqualTo(2);
    int success = j.at("/answers/success").asInt();
    assertThat(success).as(seen).isPositive();
    assertThat(j.at("/acked_missing/total").asInt())
        .as("acknowledged but not in the chains: %s", seen)
        .isZero();
    assertThat(j.at("/answers/sent").asInt() + j.at("/answers/not_sent").asInt()).isEqualTo(TX);
    assertThat(j.at("/in_chain/success").asInt() + j.at("/acked_missing/total").asInt())
        .isEqualTo(success);
    JsonNode dead = j.at("/nodes/" + network.nodes().indexOf(victim));
    assertThat(dead.get("orderer").asText()).isEqualTo(victim.client());
    assertThat(dead.get("height").isNull()).isTrue();
    assertThat(dead.get("error").asText()).contains(victim.client());
    assertThat(dead.get("broadcast_breaks").asInt()).as(seen).isPositive();
    if (!killLeader) {
      JsonNode live = j.at("/nodes/" + network.nodes().indexOf(leader));
      assertThat(live.get("broadcast_breaks").asInt()).as(seen).isZero();
    }
    assertThat(j.at("/faults/reconnections").asInt()).as(seen).isPositive();
    // a leader goes on ordering: commits are seen after the break
    assertThat(j.at("/faults/first_break_to_commit_ms").isNumber()).as(seen).isTrue();
    assertThat(j.get("passed").asBoolean()).as(seen).isTrue();
    // the exit code is the run's once the audit passed
    if (r.exit() != ExitCodes.OK) {
      assertThat(assertOneLineError(r, ExitCodes.INCOMPLETE))
          .contains("not every transaction was committed");
    }
    assertThat(r.out()).contains("audit      ").contains("faults     ");
  }
}
