package io.ordo.cli.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.testing.LocalNetworks;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ordo channel leader} and {@code ordo orderer drain} against a real three-node network. */
class LeadershipCommandsTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @AfterEach
  void downWhateverRuns() {
    LocalNetworks.stopWhateverRuns(dir);
  }

  @Test
  void showMoveAndDrainLeadership() throws Exception {
    LocalNetworks.upDetached(dir, 3, 1);
    long leader = await().atMost(AWAIT).until(() -> leaderSeenBy("orderer1"), id -> id > 0);
    long target = leader % 3 + 1;

    Cli.Result moved =
        Cli.run(
            "channel",
            "leader",
            "--network",
            dir.toString(),
            "--node",
            "orderer1",
            "-c",
            "mychannel",
            "--to",
            Long.toString(target));
    assertThat(moved.exit()).as(moved.err()).isEqualTo(ExitCodes.OK);
    assertThat(moved.out()).startsWith("Status: 200\n");
    assertThat(body(moved).path("leader").path("id").asLong()).isEqualTo(target);

    Cli.Result everyNode =
        Cli.run("channel", "leader", "--network", dir.toString(), "-c", "mychannel", "--to", "1");
    assertThat(everyNode.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(everyNode.err()).contains("one orderer at a time: name it with --node");

    String targetNode = "orderer" + target;
    Cli.Result drained =
        Cli.run("orderer", "drain", "--network", dir.toString(), "--node", targetNode);
    assertThat(drained.exit()).as(drained.err()).isEqualTo(ExitCodes.OK);
    assertThat(body(drained).path("drained").asBoolean()).isTrue();
    assertThat(body(drained).path("leading")).isEmpty();
    assertThat(leaderSeenBy(targetNode)).isNotIn(0L, target);

    Cli.Result ended =
        Cli.run("orderer", "drain", "--end", "--network", dir.toString(), "--node", targetNode);
    assertThat(ended.exit()).as(ended.err()).isEqualTo(ExitCodes.OK);
    assertThat(body(ended).path("drained").asBoolean()).isFalse();

    Cli.Result unknown =
        Cli.run(
            "channel",
            "leader",
            "--network",
            dir.toString(),
            "--node",
            "orderer1",
            "-c",
            "mychannel",
            "--to",
            "orderer9.example.com:7050");
    assertThat(unknown.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(unknown.err()).contains("has no consenter orderer9.example.com:7050");
  }

  private long leaderSeenBy(String node) throws Exception {
    Cli.Result r =
        Cli.run(
            "channel", "leader", "--network", dir.toString(), "--node", node, "-c", "mychannel");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    return body(r).path("leader").path("id").asLong(0);
  }

  /** The JSON after the status line; the CLI indents it with tabs as osnadmin does. */
  private static JsonNode body(Cli.Result r) throws Exception {
    return JSON.readTree(r.out().substring(r.out().indexOf('{')));
  }
}
