package io.ordo.cli.bench;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.FakeOrderer;
import io.ordo.cli.testing.TestMaterial;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --acked-report} against fake orderers that die, lose, duplicate and fork. */
class BenchAckedReportTest {
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  private static Cli.Result bench(String orderers, Path report, String... more) {
    return Cli.run(
        Args.of("bench", "-o", orderers, "--channel", "mychannel")
            .and(material.clientFlags())
            .and("--timeout", "30s", "--warmup", "0", "--acked-report", report.toString())
            .and(more)
            .array());
  }

  private static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** How many times each tx id is in the chain. */
  private static Map<String, Integer> txIdCounts(List<Block> chain) {
    Map<String, Integer> counts = new HashMap<>();
    for (Block b : chain.subList(1, chain.size())) {
      for (ByteString data : b.getData().getDataList()) {
        counts.merge(CommitWatcher.txId(data), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void aNodeKilledMidRunBreaksItsStreamsWhichMoveToTheOtherNodeAndTheAuditHolds(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("acked.json");
    try (FakeOrderer first = new FakeOrderer(material, 50, txId -> false);
        FakeOrderer second = first.sibling(material)) {
      first.dieAfter(300);

      Cli.Result r =
          bench(
              first.address() + "," + second.address(),
              report,
              "--tx",
              "2000",
              "--streams",
              "4",
              "--window",
              "32");

      assertThat(first.dead()).as("the first node was killed").isTrue();
      JsonNode j = json(report);
      int success = j.at("/answers/success").asInt();
      int unanswered = j.at("/answers/unanswered").asInt();
      int unansweredInChain = j.at("/in_chain/unanswered").asInt();
      // a run that never resends: every transaction sent once, answered or left unanswered
      assertThat(j.at("/answers/sent").asInt()).isEqualTo(2000);
      assertThat(j.at("/answers/not_sent").asInt()).isZero();
      assertThat(j.at("/answers/refused").asInt()).isZero();
      assertThat(success + unanswered).isEqualTo(2000);
      // the envelope the node died on was ordered, never answered
      assertThat(unanswered).isPositive();
      assertThat(unansweredInChain).isBetween(1, unanswered);
      assertThat(j.at("/in_chain/success").asInt()).isEqualTo(success);
      assertThat(j.at("/acked_missing/total").asInt()).isZero();
      assertThat(j.at("/duplicated/total").asInt()).isZero();
      assertThat(j.get("chains_agree").asBoolean()).isTrue();
      assertThat(j.get("passed").asBoolean()).isTrue();
      // the audit's counts are the ledger's: what it holds of the run, each once
      Map<String, Integer> inLedger = txIdCounts(second.blocks());
      assertThat(inLedger.values()).containsOnly(1);
      assertThat(inLedger).hasSize(success + unansweredInChain);
      // the dead node is named unreadable; the live one's height is its chain's
      assertThat(j.get("chains_read").asInt()).isEqualTo(1);
      JsonNode dead = j.at("/nodes/0");
      JsonNode live = j.at("/nodes/1");
      assertThat(dead.get("orderer").asText()).isEqualTo(first.address());
      assertThat(dead.get("height").isNull()).isTrue();
      assertThat(dead.get("error").asText()).contains(first.address());
      assertThat(live.get("height").asInt()).isEqualTo(second.blocks().size());
      assertThat(live.get("error").isNull()).isTrue();
      // streams 0 and 2 started on the first node and broke there once each, then moved on; the
      // Deliver stream broke once and moved on too
      assertThat(dead.get("broadcast_breaks").asInt()).isEqualTo(2);
      assertThat(dead.get("deliver_breaks").asInt()).isEqualTo(1);
      assertThat(live.get("broadcast_breaks").asInt()).isZero();
      assertThat(j.at("/faults/stream_breaks").asInt()).isEqualTo(3);
      assertThat(j.at("/faults/reconnections").asInt()).isEqualTo(2);
      assertThat(j.at("/faults/first_break_to_commit_ms").isNumber()).isTrue();
      assertThat(j.at("/faults/longest_commit_gap_ms").asDouble()).isPositive();
      // exit 0 only when every transaction was committed; the unanswered ones lost make it 4
      if (unansweredInChain == unanswered) {
        assertThat(r.exit()).as(r.err()).isZero();
      } else {
        assertThat(assertOneLineError(r, ExitCodes.INCOMPLETE))
            .contains("not every transaction was committed: " + inLedger.size() + " of 2000");
      }
      assertThat(r.out())
          .contains(
              "audit      2000 sent: "
                  + success
                  + " SUCCESS ("
                  + success
                  + " in chain), 0 refused (0 in chain), "
                  + unanswered
                  + " unanswered ("
                  + unansweredInChain
                  + " in chain); 0 acknowledged missing, 0 duplicated; chains agree")
          .contains("faults     3 stream breaks (" + first.address() + " 2 broadcast, 1 deliver)");
    }
  }

  @Test
  void anOrdererThatRefusesEverythingForAWhileCostsOneEnvelopePerStreamAndRefusal(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("acked.json");
    AtomicInteger seen = new AtomicInteger();
    // no leader for the first 20 envelopes: each is refused, and the stream ended
    try (FakeOrderer orderer =
        new FakeOrderer(material, 50, txId -> seen.incrementAndGet() <= 20)) {
      Cli.Result r = bench(orderer.address(), report, "--tx", "600", "--streams", "4");

      assertThat(orderer.refused()).hasSize(20);
      assertOneLineError(r, ExitCodes.INCOMPLETE);
      JsonNode j = json(report);
      // every refused envelope was sent alone: none was left unanswered behind it
      assertThat(j.at("/answers/refused").asInt()).isEqualTo(20);
      assertThat(j.at("/answers/refused_by_status/SERVICE_UNAVAILABLE").asInt()).isEqualTo(20);
      assertThat(j.at("/answers/unanswered").asInt()).isZero();
      assertThat(j.at("/answers/success").asInt()).isEqualTo(580);
      assertThat(j.at("/in_chain/success").asInt()).isEqualTo(580);
      assertThat(j.at("/in_chain/refused").asInt()).isZero();
      assertThat(j.get("passed").asBoolean()).isTrue();
      assertThat(j.at("/faults/stream_breaks").asInt()).isZero();
    }
  }

  @Test
  void anOrdererThatLosesAndDuplicatesWhatItAcknowledgedFailsTheAuditWithExit5(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("acked.json");
    try (FakeOrderer liar =
        FakeOrderer.lying(
            material, 50, txId -> txId.startsWith("a"), txId -> txId.startsWith("b"))) {
      Cli.Result r = bench(liar.address(), report, "--tx", "400", "--settle", "2s");

      String err = assertOneLineError(r, ExitCodes.AUDIT_FAILED);
      JsonNode j = json(report);
      int missing = j.at("/acked_missing/total").asInt();
      int duplicated = j.at("/duplicated/total").asInt();
      assertThat(missing).isPositive();
      assertThat(duplicated).isPositive();
      assertThat(j.at("/acked_missing/tx_ids"))
          .allSatisfy(t -> assertThat(t.asText()).startsWith("a"));
      assertThat(j.at("/duplicated/tx_ids"))
          .allSatisfy(t -> assertThat(t.asText()).startsWith("b"));
      Map<String, Integer> inLedger = txIdCounts(liar.blocks());
      assertThat(inLedger.values().stream().filter(n -> n == 2).count()).isEqualTo(duplicated);
      assertThat(j.at("/answers/success").asInt()).isEqualTo(400);
      assertThat(j.at("/in_chain/success").asInt()).isEqualTo(400 - missing);
      assertThat(j.get("passed").asBoolean()).isFalse();
      assertThat(err)
          .contains("audit failed: " + missing + " acknowledged transaction(s) missing")
          .contains(duplicated + " transaction(s) in the chain twice");
    }
  }

  @Test
  void twoOrderersWhoseChainsForkFailTheAudit(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("acked.json");
    try (FakeOrderer a = new FakeOrderer(material, 50, txId -> false);
        FakeOrderer b = new FakeOrderer(material, 50, txId -> false)) {
      Cli.Result r =
          bench(a.address() + "," + b.address(), report, "--tx", "200", "--settle", "2s");

      String err = assertOneLineError(r, ExitCodes.AUDIT_FAILED);
      assertThat(err)
          .contains("the chains of " + a.address() + " and " + b.address() + " differ at block 1");
      JsonNode j = json(report);
      assertThat(j.get("chains_agree").asBoolean()).isFalse();
      assertThat(j.get("chains_read").asInt()).isEqualTo(2);
      assertThat(j.at("/nodes/0/height").asInt()).isEqualTo(a.blocks().size());
      assertThat(j.at("/nodes/1/height").asInt()).isEqualTo(b.blocks().size());
    }
  }

  @Test
  void aHealthyRunPassesTheAuditWithExit0AndNoFault(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("acked.json");
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> false)) {
      Cli.Result r = bench(orderer.address(), report, "--tx", "500", "--streams", "2");

      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode j = json(report);
      assertThat(j.get("passed").asBoolean()).isTrue();
      assertThat(j.at("/answers/success").asInt()).isEqualTo(500);
      assertThat(j.at("/in_chain/success").asInt()).isEqualTo(500);
      assertThat(j.at("/faults/stream_breaks").asInt()).isZero();
      assertThat(j.at("/faults/first_break_to_commit_ms").isNull()).isTrue();
      assertThat(r.out())
          .contains("committed  500 of 500")
          .contains("audit      500 sent: 500 SUCCESS (500 in chain)")
          .contains("faults     0 stream breaks, 0 reconnections");
    }
  }

  @Test
  void settleIsForAnAuditedRunAndShorterThanTheTimeout() {
    Cli.Result without =
        Cli.run(
            Args.of("bench", "-o", "127.0.0.1:7050", "--channel", "mychannel")
                .and(material.clientFlags())
                .and("--settle", "5s")
                .array());
    Cli.Result tooLong =
        Cli.run(
            Args.of("bench", "-o", "127.0.0.1:7050", "--channel", "mychannel")
                .and(material.clientFlags())
                .and("--timeout", "10s", "--settle", "10s", "--acked-report", "x.json")
                .array());

    assertThat(assertOneLineError(without, ExitCodes.USAGE)).contains("--settle");
    assertThat(assertOneLineError(tooLong, ExitCodes.USAGE))
        .contains("--settle must be shorter than --timeout");
  }

  @Test
  void theDefaultSettleIs30sOrAQuarterOfTheTimeout() {
    assertThat(BenchCommand.defaultSettle(java.time.Duration.ofMinutes(10)))
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(BenchCommand.defaultSettle(java.time.Duration.ofSeconds(20)))
        .isEqualTo(java.time.Duration.ofSeconds(5));
  }
}
