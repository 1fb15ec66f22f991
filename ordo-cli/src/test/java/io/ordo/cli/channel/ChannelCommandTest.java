package io.ordo.cli.channel;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.network.NetworkFile;
import io.ordo.cli.testing.LocalNetworks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ordo channel list|remove|join} against a real one-node network with two channels. */
class ChannelCommandTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @AfterEach
  void downWhateverRuns() {
    LocalNetworks.stopWhateverRuns(dir);
  }

  @Test
  void listRemoveAndJoinAgainSpeakThePartipationApiAsOsnadminDoes() {
    NetworkFile network = LocalNetworks.upDetached(dir, 1, 2);
    NetworkFile.Node node = network.nodes().getFirst();

    // osnadmin's own flags: one node, its status line and tab-indented JSON
    Cli.Result one =
        Cli.run(
            "channel",
            "list",
            "-o",
            node.adminEndpoint(),
            "--ca-file",
            NetworkFile.resolve(dir, network.tlsCaFile()).toString(),
            "--client-cert",
            NetworkFile.resolve(dir, network.admin().certFile()).toString(),
            "--client-key",
            NetworkFile.resolve(dir, network.admin().keyFile()).toString(),
            "--channelID",
            "mychannel2");
    assertThat(one.exit()).as(one.err()).isEqualTo(ExitCodes.OK);
    assertThat(one.out())
        .startsWith("Status: 200\n{\n")
        .contains("\t\"name\": \"mychannel2\"")
        .contains("\t\"consensusRelation\": \"consenter\"")
        .contains("\t\"status\": \"active\"")
        // the body's own trailing newline, then osnadmin's fmt.Println
        .endsWith("}\n\n");

    Cli.Result all = Cli.run("channel", "list", "--network", dir.toString());
    assertThat(all.exit()).as(all.err()).isEqualTo(ExitCodes.OK);
    // one node: no heading, the output is osnadmin's
    assertThat(all.out())
        .startsWith("Status: 200")
        .contains("\"name\": \"mychannel\"")
        .contains("\"name\": \"mychannel2\"")
        .doesNotContain("\"ordo\"");

    // Ordo's --details: each channel's consenters' certificates with their days to expiry
    Cli.Result details =
        Cli.run("channel", "list", "--network", dir.toString(), "-c", "mychannel", "--details");
    assertThat(details.exit()).as(details.err()).isEqualTo(ExitCodes.OK);
    assertThat(details.out())
        .startsWith("Status: 200\n{\n")
        .contains("\t\"status\": \"active\"")
        .contains("\t\"ordo\": {")
        .contains("\"certificates\": [")
        .contains("\"kind\": \"server_tls\"")
        .contains("\"kind\": \"enrollment\"")
        .contains("\"daysToExpiry\": ")
        .contains("\"state\": \"ok\"");
    assertThat(Cli.run("channel", "list", "--network", dir.toString(), "--details").out())
        .contains("\"ordo\": {")
        .contains("\"name\": \"mychannel2\"");

    // and the ledger's first block held, and the node's KeepBlocks (none)
    assertThat(details.out())
        .contains("\t\"height\": ")
        .contains("\"ledger\": {")
        .contains("\"firstBlock\": 0")
        .contains("\"keepBlocks\": 0");
    Cli.Result detailsAll = Cli.run("channel", "list", "--network", dir.toString(), "--details");
    assertThat(detailsAll.out())
        .contains("\"consensusRelation\": \"consenter\"")
        .contains("\"firstBlock\"");

    Cli.Result remove =
        Cli.run(
            "channel",
            "remove",
            "--network",
            dir.toString(),
            "--node",
            "orderer1",
            "-c",
            "mychannel2");
    assertThat(remove.exit()).as(remove.err()).isEqualTo(ExitCodes.OK);
    // osnadmin's fmt.Println after a 204's status line leaves an empty line
    assertThat(remove.out()).isEqualTo("Status: 204\n\n");
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Cli.run("channel", "list", "--network", dir.toString(), "-c", "mychannel2")
                            .out())
                    .startsWith("Status: 404"));

    Cli.Result again =
        Cli.run("channel", "remove", "--network", dir.toString(), "-c", "mychannel2");
    String err = assertOneLineError(again, ExitCodes.ERROR);
    assertThat(err)
        .contains(node.adminEndpoint() + " answered HTTP 404")
        .contains("channel does not exist");
    assertThat(again.out()).contains("Status: 404").contains("\"error\":");

    Cli.Result join =
        Cli.run(
            "channel",
            "join",
            "--network",
            dir.toString(),
            "--channelID",
            "mychannel2",
            "--config-block",
            dir.resolve("channels/mychannel2.block").toString());
    assertThat(join.exit()).as(join.out() + join.err()).isEqualTo(ExitCodes.OK);
    assertThat(join.out()).contains("Status: 201").contains("\"name\": \"mychannel2\"");
    await()
        .atMost(AWAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Cli.run(
                                "channel",
                                "list",
                                "--network",
                                dir.toString(),
                                "-c",
                                "mychannel2",
                                "--no-status")
                            .out())
                    .doesNotContain("Status:")
                    .contains("\"status\": \"active\""));

    Cli.Result joinTwice =
        Cli.run(
            "channel",
            "join",
            "--network",
            dir.toString(),
            "-c",
            "mychannel2",
            "-b",
            dir.resolve("channels/mychannel2.block").toString());
    assertThat(assertOneLineError(joinTwice, ExitCodes.ERROR))
        .contains("HTTP 405")
        .contains("channel already exists");

    assertThat(Cli.run("network", "down", "--dir", dir.toString()).exit()).isEqualTo(ExitCodes.OK);
    List<String> afterDown = Cli.run("channel", "list", "--network", dir.toString()).errLines();
    assertThat(afterDown).singleElement().asString().contains("cannot reach the admin endpoint");
  }
}
