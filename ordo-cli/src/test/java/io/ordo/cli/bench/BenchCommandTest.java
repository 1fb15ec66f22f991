package io.ordo.cli.bench;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.testing.Args;
import io.ordo.cli.testing.FakeOrderer;
import io.ordo.cli.testing.TestMaterial;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir static Path crypto;
  private static TestMaterial material;

  @BeforeAll
  static void material() {
    material = TestMaterial.generate(crypto);
  }

  private static String[] args(String orderer, String... more) {
    return Args.of("bench", "-o", orderer, "--channel", "mychannel")
        .and(material.clientFlags())
        .and("--timeout", "20s")
        .and(more)
        .array();
  }

  /** {@code ordo bench} against {@code orderer} with the test client, 20 s at most. */
  private static Cli.Result bench(String orderer, String... more) {
    return Cli.run(args(orderer, more));
  }

  private static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void everyTransactionIsCommittedAndTheReportHoldsTheFiguresAndCharts(@TempDir Path report)
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> false)) {
      Cli.Result r =
          bench(
              orderer.address(),
              "--tx",
              "2000",
              "--size",
              "2304",
              "--streams",
              "4",
              "--window",
              "200",
              "--warmup",
              "0",
              "--report",
              report.toString());

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(orderer.rejections()).as("envelopes the orderer found malformed").isEmpty();
      JsonNode result = json(report.resolve(BenchReport.RESULT_JSON));
      assertThat(result.get("committed").asInt()).isEqualTo(2000);
      assertThat(result.get("acked").asInt()).isEqualTo(2000);
      assertThat(result.get("errors").size()).isZero();
      double p50 = result.get("p50_ms").asDouble();
      double p90 = result.get("p90_ms").asDouble();
      double p99 = result.get("p99_ms").asDouble();
      double max = result.get("max_ms").asDouble();
      assertThat(max).isPositive();
      assertThat(p50).isLessThanOrEqualTo(p90);
      assertThat(p90).isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThanOrEqualTo(max);
      assertThat(result.get("committed_tps").asDouble()).isPositive();
      assertThat(result.get("acked_tps").asDouble()).isPositive();
      assertThat(result.get("timeline").size()).isPositive();
      // every block after the genesis holds only bench transactions, at most 100 of them
      List<Block> blocks = orderer.blocks().subList(1, orderer.blocks().size());
      // a stream broken under load makes bench send its unanswered envelopes again; a block cut
      // from such duplicates after the run ended is the orderer's, not the run's
      if (result.get("duplicates").asInt() == 0 && result.get("stream_errors").asInt() == 0) {
        assertThat(result.get("blocks").asInt()).isEqualTo(blocks.size());
      } else {
        assertThat(result.get("blocks").asInt()).isBetween(1, blocks.size());
      }
      assertThat(blocks).allSatisfy(b -> assertThat(b.getData().getDataCount()).isBetween(1, 100));
      String html = Files.readString(report.resolve(BenchReport.REPORT_HTML));
      assertThat(html).contains("<svg").contains("</svg>").contains("polyline");
      assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
      assertThat(r.out()).contains("committed  2000 of 2000").contains("tx/s").contains("p99");
      assertThat(result.get("envelope_bytes").asInt()).isEqualTo(2304);
      assertThat(r.out()).contains("envelopes  2304 bytes");
    }
  }

  @Test
  void transactionsAreFabricEndorserTransactionsWithFabricsTxIdsAndTheSeekIsSigned()
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 50, txId -> false)) {
      Cli.Result r = bench(orderer.address(), "--tx", "120", "--streams", "2", "--warmup", "30");

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("warm-up    30 transactions committed")
          .contains("committed  120 of 120");
      assertThat(orderer.rejections()).isEmpty();
      Set<String> txIds = new HashSet<>();
      for (Block b : orderer.blocks().subList(1, orderer.blocks().size())) {
        for (var data : b.getData().getDataList()) {
          Payload p = Payload.parseFrom(Envelope.parseFrom(data).getPayload());
          ChannelHeader h = ChannelHeader.parseFrom(p.getHeader().getChannelHeader());
          assertThat(h.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION_VALUE);
          assertThat(h.getChannelId()).isEqualTo("mychannel");
          txIds.add(h.getTxId());
        }
      }
      // the warm-up's transactions are distinct, and ordered before the timed ones
      assertThat(txIds).hasSize(150);
      SeekInfo seek =
          SeekInfo.parseFrom(Payload.parseFrom(orderer.seeks().getFirst().getPayload()).getData());
      assertThat(seek.getStart().hasNewest()).isTrue();
      assertThat(seek.getBehavior()).isEqualTo(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    }
  }

  @Test
  void refusalsAreCountedByStatusAndTheRunExitsIncomplete(@TempDir Path report) throws Exception {
    // about one transaction in sixteen refused; the count is whatever the orderer refused
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> txId.startsWith("0"))) {
      Cli.Result r =
          bench(
              orderer.address(),
              "--tx",
              "2000",
              "--size",
              "2048",
              "--streams",
              "4",
              "--warmup",
              "0",
              "--report",
              report.toString());

      int refused = orderer.refused().size();
      assertThat(refused).isPositive();
      String err = assertOneLineError(r, ExitCodes.INCOMPLETE);
      assertThat(err).contains("SERVICE_UNAVAILABLE " + refused);
      JsonNode result = json(report.resolve(BenchReport.RESULT_JSON));
      assertThat(result.get("errors").get("SERVICE_UNAVAILABLE").asInt()).isEqualTo(refused);
      assertThat(result.get("committed").asInt()).isEqualTo(2000 - refused);
      assertThat(result.get("duplicates").asInt()).isZero();
      assertThat(r.out()).contains("SERVICE_UNAVAILABLE " + refused);
    }
  }

  @Test
  void aWarmupWithRefusalsStopsTheRunBeforeItStarts(@TempDir Path report) throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> txId.startsWith("0"))) {
      Cli.Result r =
          bench(orderer.address(), "--tx", "100", "--warmup", "500", "--report", report.toString());

      int refused = orderer.refused().size();
      assertThat(refused).isPositive();
      assertThat(assertOneLineError(r, ExitCodes.INCOMPLETE))
          .contains("warm-up: not every transaction was committed")
          .contains("SERVICE_UNAVAILABLE " + refused);
      assertThat(report.resolve(BenchReport.RESULT_JSON)).doesNotExist();
    }
  }

  @Test
  void theProgressBarIsDrawnOnATerminalOnly() throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 50, txId -> false)) {
      String[] run = args(orderer.address(), "--tx", "100");

      Cli.Result onTerminal = Cli.run(Map.of(), true, run);
      Cli.Result piped = Cli.run(Map.of(), false, run);

      assertThat(onTerminal.exit()).as(onTerminal.err()).isZero();
      assertThat(onTerminal.out()).contains("\r[").contains("100/100 committed");
      assertThat(piped.exit()).as(piped.err()).isZero();
      assertThat(piped.out()).doesNotContain("\r").doesNotContain("\u001B[");
    }
  }

  @Test
  void anUnreachableOrdererIsOneLineAndANonZeroExit() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Cli.Result r = bench("127.0.0.1:" + port, "--tx", "10");

    String err = assertOneLineError(r, ExitCodes.ERROR);
    assertThat(err)
        .contains("orderer 127.0.0.1:" + port + " does not answer")
        .contains("nothing was signed");
    assertThat(r.out()).doesNotContain("signing");
  }

  @Test
  void aMissingChannelWithoutANetworkFileIsAUsageError() {
    Cli.Result r =
        Cli.run(Args.of("bench", "-o", "127.0.0.1:7050").and(material.clientFlags()).array());

    String err = assertOneLineError(r, ExitCodes.USAGE);
    assertThat(err).contains("--channel").contains("--network");
  }

  @Test
  void theNetworkFileSuppliesOrderersChannelTlsCaAndClientIdentity(@TempDir Path net)
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 50, txId -> false)) {
      Path relativeCa = net.relativize(material.tlsCa());
      Files.writeString(
          net.resolve("network.json"),
          """
          {
            "channel": "mychannel",
            "tls_ca_file": "%s",
            "client": {"msp_dir": "%s", "msp_id": "%s"},
            "admin": {"cert_file": "admin.crt", "key_file": "admin.key"},
            "nodes": [{"name": "orderer1.example.com", "raft_id": 1, "client": "%s",
                       "cluster": "127.0.0.1:1", "admin": "127.0.0.1:2", "operations": "127.0.0.1:3"}]
          }
          """
              .formatted(
                  relativeCa, material.clientMsp(), TestMaterial.CLIENT_MSP_ID, orderer.address()));

      Cli.Result r =
          Cli.run("bench", "--network", net.toString(), "--tx", "100", "--timeout", "20s");

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("committed  100 of 100");
    }
  }

  @Test
  void aBrokenNetworkFileIsOneLineNamingTheFileAndLine(@TempDir Path net) throws IOException {
    Files.writeString(net.resolve("network.json"), "{\n  \"channel\": \"mychannel\",\n  nodes\n}");

    Cli.Result r = Cli.run("bench", "--network", net.toString());

    String err = assertOneLineError(r, ExitCodes.ERROR);
    assertThat(err).contains("network.json").contains("line 3");
  }

  @Test
  void sizeIsTheMarshalledSizeOfEveryEnvelopeTheOrdererReceives(@TempDir Path report)
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> false)) {
      Cli.Result r =
          bench(orderer.address(), "--tx", "300", "--size", "4000", "--report", report.toString());

      assertThat(r.exit()).as(r.err()).isZero();
      List<Integer> sizes = new ArrayList<>();
      for (Block b : orderer.blocks().subList(1, orderer.blocks().size())) {
        b.getData().getDataList().forEach(d -> sizes.add(d.size()));
      }
      // 300 timed and the default warm-up of a tenth, all of the asked size
      assertThat(sizes).hasSize(330).containsOnly(4000);
      JsonNode result = json(report.resolve(BenchReport.RESULT_JSON));
      assertThat(result.get("envelope_bytes").asInt()).isEqualTo(4000);
      // what the headers, the certificate twice and the signature leave: about 2 KB
      assertThat(result.get("payload_bytes").asInt()).isBetween(1500, 2500);
      assertThat(r.out()).contains("envelopes of 4000 bytes");
    }
  }

  @Test
  void theDefaultWarmupIsATenthOfTheRunAndAtMost5000() {
    assertThat(BenchCommand.defaultWarmup(5)).isZero();
    assertThat(BenchCommand.defaultWarmup(2000)).isEqualTo(200);
    assertThat(BenchCommand.defaultWarmup(50_000)).isEqualTo(5000);
    assertThat(BenchCommand.defaultWarmup(1_000_000)).isEqualTo(5000);
  }

  @Test
  void aNegativeWarmupIsAUsageError() {
    Cli.Result r = bench("127.0.0.1:7050", "--tx", "10", "--warmup", "-1");

    assertThat(assertOneLineError(r, ExitCodes.USAGE)).contains("--warmup");
  }

  @Test
  void aSizeBelowTheFixedOverheadIsOneLineNamingTheSmallestSize() throws Exception {
    Cli.Result r;
    try (FakeOrderer orderer = new FakeOrderer(material, 50, txId -> false)) {
      r = bench(orderer.address(), "--tx", "10", "--size", "1024");
    }

    String err = assertOneLineError(r, ExitCodes.ERROR);
    assertThat(err)
        .contains("--size 1024 is below the smallest envelope")
        .containsPattern("use --size \\d{4} or more");
  }

  @Test
  void payloadIsTheRandomDataOfEveryTransactionWhateverTheEnvelopeSize(@TempDir Path report)
      throws Exception {
    try (FakeOrderer orderer = new FakeOrderer(material, 100, txId -> false)) {
      Cli.Result r =
          bench(
              orderer.address(), "--tx", "200", "--payload", "1000", "--report", report.toString());

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("1000 random bytes each");
      JsonNode result = json(report.resolve(BenchReport.RESULT_JSON));
      assertThat(result.get("payload_bytes").asInt()).isEqualTo(1000);
      List<Integer> sizes = new ArrayList<>();
      for (Block b : orderer.blocks().subList(1, orderer.blocks().size())) {
        b.getData().getDataList().forEach(d -> sizes.add(d.size()));
      }
      // one client: only the signature's DER length (70 or 71 bytes, rarely less) varies
      assertThat(sizes).hasSize(220);
      assertThat(
              sizes.stream().mapToInt(Integer::intValue).max().getAsInt()
                  - sizes.stream().mapToInt(Integer::intValue).min().getAsInt())
          .isBetween(0, 3);
    }
  }

  @Test
  void sizeAndPayloadTogetherAndAWindowOver1000AreUsageErrors() {
    Cli.Result both = bench("127.0.0.1:7050", "--size", "4000", "--payload", "1000");
    assertThat(assertOneLineError(both, ExitCodes.USAGE)).contains("--size or --payload");

    Cli.Result deep = bench("127.0.0.1:7050", "--window", "1001");
    assertThat(assertOneLineError(deep, ExitCodes.USAGE))
        .contains("--window must be at most 1000, not 1001");
  }

  @Test
  void deliverFromTimesTheCommitsOnTheNamedOrdererWhileStreamsGoToTheOthers() throws Exception {
    try (FakeOrderer a = new FakeOrderer(material, 50, txId -> false);
        FakeOrderer b = a.sibling(material)) {
      Cli.Result r =
          bench(a.address(), "--tx", "100", "--streams", "1", "--deliver-from", b.address());

      assertThat(r.exit()).as(r.err()).isZero();
      // the one stream went to the first orderer, the seeks to the one named
      assertThat(b.seeks()).isNotEmpty();
      assertThat(a.seeks()).isEmpty();
      assertThat(a.received()).isEqualTo(110);
    }
  }
}
