package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3 of the interop suite, osnadmin and {@code ordo channel} both ways: the same sequence
 * of joins, listings and removals, by each tool against a Fabric orderer and against an Ordo node
 * (each holding no channel at first), prints the same status codes and bodies in all four pairings.
 * The one difference is deliberate and documented: {@code ordo channel} exits 1 on a 4xx or 5xx
 * answer where osnadmin exits 0.
 */
@InteropTest
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChannelAdminBothWaysTest {
  private static final Pattern STATUS = Pattern.compile("^Status: (\\d+)", Pattern.MULTILINE);

  /**
   * One step of the sequence, as the flags both tools take after {@code channel}.
   *
   * @param afterRemoval whether the step must wait for the node to finish removing the channel:
   *     Fabric removes its data in the background after answering 204, and answers 409 "channel
   *     pending removal" meanwhile; Ordo removes before it answers
   */
  private record Step(String name, Function<Network, List<String>> args, boolean afterRemoval) {
    Step(String name, Function<Network, List<String>> args) {
      this(name, args, false);
    }
  }

  @Test
  void joinListAndRemoveAnswerAlikeWhicheverToolAndImplementation(Stage stage) {
    Network fabricNet = Network.on(stage).orderers(FABRIC).folder("fabric-orderer").build();
    Network ordoNet = Network.on(stage).orderers(ORDO).folder("ordo-orderer").build();
    fabricNet.startAll();
    ordoNet.startAll();

    List<Step> steps = steps();
    Map<String, List<ToolResult>> runs = new LinkedHashMap<>();
    for (Network net : List.of(fabricNet, ordoNet)) {
      for (String tool : List.of("osnadmin", "ordo")) {
        List<ToolResult> results = new ArrayList<>();
        for (Step step : steps) {
          if (step.afterRemoval()) {
            awaitRemoved(stage, net);
          }
          List<String> args = new ArrayList<>(List.of("channel"));
          args.addAll(step.args().apply(net));
          results.add(
              tool.equals("osnadmin")
                  ? stage.fabricTools().osnadmin(args)
                  : stage.ordoTools().run(args));
        }
        runs.put(tool + " -> " + net.orderer(1).kind(), results);
      }
    }

    List<ToolResult> reference = runs.get("osnadmin -> FABRIC");
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < steps.size(); i++) {
      StringBuilder table = new StringBuilder(steps.get(i).name() + ":");
      for (var e : runs.entrySet()) {
        ToolResult r = e.getValue().get(i);
        table
            .append("  ")
            .append(e.getKey())
            .append(' ')
            .append(status(r))
            .append(" (exit ")
            .append(r.exitCode())
            .append(')');
        softly
            .assertThat(r.out())
            .as(
                "%s: %s prints what osnadmin prints against Fabric",
                steps.get(i).name(), e.getKey())
            .isEqualTo(reference.get(i).out());
        int expectedExit =
            e.getKey().startsWith("osnadmin")
                ? reference.get(i).exitCode()
                : ordoExit(reference.get(i));
        softly
            .assertThat(r.exitCode())
            .as("%s: %s exit code", steps.get(i).name(), e.getKey())
            .isEqualTo(expectedExit);
      }
      System.out.println(table);
    }
    softly.assertAll();
    assertThat(reference.stream().map(ChannelAdminBothWaysTest::status))
        .as("the sequence reaches the answers it is meant to")
        .containsExactly("200", "201", "405", "200", "200", "404", "204", "404", "200", "-");
  }

  private static List<Step> steps() {
    return List.of(
        new Step("list, no channel", n -> flags(n, "list")),
        new Step("join", n -> join(n, n.channel())),
        new Step("join again", n -> join(n, n.channel())),
        new Step("list", n -> flags(n, "list")),
        new Step("list the channel", n -> with(flags(n, "list"), "--channelID", n.channel())),
        new Step("list an unknown channel", n -> with(flags(n, "list"), "--channelID", "nosuch")),
        new Step("remove", n -> with(flags(n, "remove"), "--channelID", n.channel())),
        new Step("remove again", n -> with(flags(n, "remove"), "--channelID", n.channel()), true),
        new Step("list after removal", n -> flags(n, "list")),
        new Step("join with another channel's ID", n -> join(n, "otherchannel")));
  }

  /**
   * Waits (bounded) until a remove of the channel no longer answers 409 "channel pending removal":
   * the node has finished removing it.
   */
  private static void awaitRemoved(Stage stage, Network net) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !status(net.osnadmin().remove(net.orderer(1), net.channel())).equals("409"));
  }

  private static List<String> flags(Network n, String command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(n.admin().flags(n.orderer(1).adminEndpoint()));
    return args;
  }

  private static List<String> join(Network n, String channelId) {
    return with(
        flags(n, "join"), "--channelID", channelId, "--config-block", n.genesisBlock().toString());
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  private static String status(ToolResult r) {
    Matcher m = STATUS.matcher(r.out());
    return m.find() ? m.group(1) : "-";
  }

  /** ordo channel: 1 for a 4xx or 5xx answer, else what osnadmin returned. */
  private static int ordoExit(ToolResult osnadmin) {
    String s = status(osnadmin);
    return !s.equals("-") && Integer.parseInt(s) >= 400 ? 1 : osnadmin.exitCode();
  }
}
