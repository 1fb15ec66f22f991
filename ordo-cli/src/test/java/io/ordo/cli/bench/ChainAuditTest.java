package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.ordo.cli.ExitCodes;
import io.ordo.fabric.block.BlockCreator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit's checks on fabricated answers and chains. */
class ChainAuditTest {
  private static final Block GENESIS =
      Block.newBuilder()
          .setHeader(BlockHeader.newBuilder().setNumber(0))
          .setData(BlockData.newBuilder().addData(ByteString.copyFromUtf8("genesis")))
          .build();

  /** A run of {@code n} transactions: their tx ids, and their envelopes as a chain holds them. */
  private record Run(List<String> txIds, List<ByteString> envelopes, AnswerBook answers) {
    static Run of(int n) {
      List<String> ids = new ArrayList<>();
      List<ByteString> envelopes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = String.format("%064x", i + 1);
        ids.add(id);
        envelopes.add(envelope(id));
      }
      return new Run(ids, envelopes, new AnswerBook(n));
    }

    void succeeded(int... indexes) {
      for (int i : indexes) {
        answers.sent(i);
        answers.success(i);
      }
    }

    ChainTally tally(List<Block> chain) {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < txIds.size(); i++) {
        index.put(txIds.get(i), i);
      }
      ChainTally t = new ChainTally(txIds.size(), id -> index.getOrDefault(id, -1));
      chain.forEach(t::add);
      return t;
    }

    ChainAudit.Findings audit(ChainAudit.NodeChain... chains) {
      return ChainAudit.audit(answers, txIds::get, List.of(chains));
    }

    /** Genesis, then blocks of the envelopes of {@code indexes}, {@code perBlock} in each. */
    List<Block> chain(int perBlock, int... indexes) {
      List<Block> blocks = new ArrayList<>(List.of(GENESIS));
      BlockCreator creator = new BlockCreator(GENESIS.getHeader());
      for (int from = 0; from < indexes.length; from += perBlock) {
        List<ByteString> data = new ArrayList<>();
        for (int k = from; k < Math.min(indexes.length, from + perBlock); k++) {
          data.add(envelopes.get(indexes[k]));
        }
        blocks.add(creator.createNext(data));
      }
      return blocks;
    }
  }

  private static ByteString envelope(String txId) {
    Payload payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(
                        ChannelHeader.newBuilder()
                            .setChannelId("mychannel")
                            .setTxId(txId)
                            .build()
                            .toByteString()))
            .setData(ByteString.copyFromUtf8("data of " + txId))
            .build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build().toByteString();
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  private static AckedReport report(ChainAudit.Findings f) {
    return AckedReport.of("mychannel", f, new StreamFaults(), new CommitGaps(0, null));
  }

  @Test
  void everyAnswerIsCountedAndWhatReachedTheChainOfEachKind() {
    Run run = Run.of(10);
    run.succeeded(0, 1, 2, 3, 4);
    run.answers().sent(5);
    run.answers().refused(5, Status.SERVICE_UNAVAILABLE, "no Raft leader");
    run.answers().sent(6);
    run.answers().refused(6, Status.SERVICE_UNAVAILABLE, "no Raft leader");
    run.answers().sent(7);
    run.answers().refused(7, Status.BAD_REQUEST, "");
    run.answers().sent(8); // its stream broke: unanswered, yet ordered
    List<Block> chain = run.chain(3, 0, 1, 2, 3, 4, 8);

    ChainAudit.Findings f = run.audit(ChainAudit.NodeChain.read("a:1", run.tally(chain)));
    AckedReport r = report(f);

    assertThat(r.passed()).isTrue();
    assertThat(r.tx()).isEqualTo(10);
    AckedReport.Answers a = r.answers();
    assertThat(List.of(a.sent(), a.notSent(), a.success(), a.refused(), a.unanswered()))
        .containsExactly(9, 1, 5, 3, 1);
    assertThat(a.refusedByStatus())
        .containsExactlyInAnyOrderEntriesOf(Map.of("SERVICE_UNAVAILABLE", 2, "BAD_REQUEST", 1));
    assertThat(a.refusals())
        .containsExactly(
            new AckedReport.Refusal("SERVICE_UNAVAILABLE", "no Raft leader", 2),
            new AckedReport.Refusal("BAD_REQUEST", "", 1));
    assertThat(r.inChain()).isEqualTo(new AckedReport.InChain(5, 0, 1));
    assertThat(r.ackedMissing().total()).isZero();
    assertThat(r.duplicated().total()).isZero();
    assertThat(r.chainsAgree()).isTrue();
    assertThat(r.nodes()).containsExactly(new AckedReport.Node("a:1", 3, null, 0, 0));
    assertThat(r.exitCode(false)).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(r.exitCode(true)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void acknowledgedTransactionsMissingFromTheFinalChainAreListedAndFailTheAudit() {
    long seed = new Random().nextLong();
    System.out.println("ChainAuditTest seed " + seed);
    Random random = new Random(seed);
    Run run = Run.of(200);
    run.succeeded(range(0, 200));
    TreeSet<Integer> lost = new TreeSet<>();
    while (lost.size() < 7) {
      lost.add(random.nextInt(200));
    }
    int[] ordered = IntStream.range(0, 200).filter(i -> !lost.contains(i)).toArray();

    AckedReport r =
        report(
            run.audit(
                ChainAudit.NodeChain.read("a:1", run.tally(run.chain(50, ordered))),
                ChainAudit.NodeChain.unreadable("b:2", "cannot fetch from b:2: UNAVAILABLE")));

    assertThat(r.passed()).as("seed %d", seed).isFalse();
    assertThat(r.ackedMissing().total()).isEqualTo(7);
    assertThat(r.ackedMissing().txIds())
        .containsExactlyElementsOf(lost.stream().map(run.txIds()::get).toList());
    assertThat(r.inChain().success()).isEqualTo(193);
    assertThat(r.chainsRead()).isEqualTo(1);
    assertThat(r.nodes().get(1))
        .isEqualTo(new AckedReport.Node("b:2", null, "cannot fetch from b:2: UNAVAILABLE", 0, 0));
    assertThat(r.exitCode(false)).isEqualTo(ExitCodes.AUDIT_FAILED);
    assertThat(r.failure())
        .isEqualTo(
            "audit failed: 7 acknowledged transaction(s) missing from the final chain (first "
                + run.txIds().get(lost.first())
                + ")");
  }

  @Test
  void aTransactionOrderedTwiceFailsTheAuditWhateverItsAnswer() {
    Run run = Run.of(6);
    run.succeeded(0, 1, 2, 3);
    run.answers().sent(4); // unanswered, then ordered twice: still a duplicate
    AckedReport r =
        report(
            run.audit(
                ChainAudit.NodeChain.read("a:1", run.tally(run.chain(2, 0, 1, 2, 1, 3, 4, 4)))));

    assertThat(r.passed()).isFalse();
    assertThat(r.duplicated().total()).isEqualTo(2);
    assertThat(r.duplicated().txIds()).containsExactly(run.txIds().get(1), run.txIds().get(4));
    assertThat(r.ackedMissing().total()).isZero();
    assertThat(r.exitCode(true)).isEqualTo(ExitCodes.AUDIT_FAILED);
    assertThat(r.failure()).contains("2 transaction(s) in the chain twice");
  }

  @Test
  void chainsThatDifferFailTheAuditEvenWhenEveryTransactionIsIn() {
    Run run = Run.of(4);
    run.succeeded(0, 1, 2, 3);
    ChainAudit.Findings f =
        run.audit(
            ChainAudit.NodeChain.read("a:1", run.tally(run.chain(2, 0, 1, 2, 3))),
            ChainAudit.NodeChain.read("b:2", run.tally(run.chain(2, 1, 0, 2, 3))));
    AckedReport r = report(f);

    assertThat(r.ackedMissing().total()).isZero();
    assertThat(r.duplicated().total()).isZero();
    assertThat(r.chainsAgree()).isFalse();
    assertThat(r.chainDifference())
        .isEqualTo("the chains of a:1 and b:2 differ at block 1 (header hashes)");
    assertThat(r.passed()).isFalse();
    assertThat(r.exitCode(true)).isEqualTo(ExitCodes.AUDIT_FAILED);
  }

  @Test
  void aNodeBehindAgreesAndTheHighestChainIsTheFinalOne() {
    Run run = Run.of(6);
    run.succeeded(range(0, 6));
    List<Block> whole = run.chain(2, range(0, 6));
    ChainAudit.Findings f =
        run.audit(
            ChainAudit.NodeChain.read("behind:1", run.tally(whole.subList(0, 2))),
            ChainAudit.NodeChain.read("ahead:2", run.tally(whole)));
    AckedReport r = report(f);

    assertThat(r.passed()).isTrue();
    assertThat(r.inChain().success()).isEqualTo(6);
    assertThat(r.nodes()).extracting(AckedReport.Node::height).containsExactly(2, 4);
  }

  @Test
  void theListsStopAtAThousandAndTheTotalsGoOn() {
    Run run = Run.of(1_500);
    run.succeeded(range(0, 1_500));
    AckedReport r = report(run.audit(ChainAudit.NodeChain.read("a:1", run.tally(run.chain(1)))));

    assertThat(r.ackedMissing().total()).isEqualTo(1_500);
    assertThat(r.ackedMissing().txIds())
        .hasSize(ChainAudit.MAX_LISTED)
        .startsWith(run.txIds().get(0))
        .endsWith(run.txIds().get(999));
  }

  @Test
  void withNoChainReadTheAuditCannotPassAndTheExitSaysSo() {
    Run run = Run.of(3);
    run.succeeded(0, 1, 2);
    AckedReport r =
        report(run.audit(ChainAudit.NodeChain.unreadable("a:1", "cannot fetch from a:1: X")));

    assertThat(r.passed()).isFalse();
    assertThat(r.chainsRead()).isZero();
    assertThat(r.ackedMissing().total()).as("nothing is known missing").isZero();
    assertThat(r.exitCode(true)).isEqualTo(ExitCodes.ERROR);
    assertThat(r.failure())
        .isEqualTo("audit: no orderer's chain could be read: a:1: cannot fetch from a:1: X");
  }

  @Test
  void theJsonFileHoldsTheCountsTheListsTheNodesAndTheFaults(@TempDir Path dir) throws Exception {
    Run run = Run.of(3);
    run.succeeded(0, 1);
    run.answers().sent(2);
    ChainAudit.Findings f =
        run.audit(ChainAudit.NodeChain.read("a:1", run.tally(run.chain(5, 0, 1, 1))));
    Path file = dir.resolve("sub/acked.json");

    JsonReport.write(
        file, AckedReport.of("mychannel", f, new StreamFaults(), new CommitGaps(12.5, null)));

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("tx").asInt()).isEqualTo(3);
    assertThat(json.at("/answers/sent").asInt()).isEqualTo(3);
    assertThat(json.at("/answers/unanswered").asInt()).isEqualTo(1);
    assertThat(json.at("/in_chain/success").asInt()).isEqualTo(2);
    assertThat(json.at("/duplicated/total").asInt()).isEqualTo(1);
    assertThat(json.at("/duplicated/tx_ids/0").asText()).isEqualTo(run.txIds().get(1));
    assertThat(json.at("/acked_missing/tx_ids").size()).isZero();
    assertThat(json.get("chains_agree").asBoolean()).isTrue();
    assertThat(json.get("chain_difference").isNull()).isTrue();
    assertThat(json.at("/nodes/0/height").asInt()).isEqualTo(2);
    assertThat(json.at("/nodes/0/error").isNull()).isTrue();
    assertThat(json.at("/faults/longest_commit_gap_ms").asDouble()).isEqualTo(12.5);
    assertThat(json.at("/faults/first_break_to_commit_ms").isNull()).isTrue();
  }
}
