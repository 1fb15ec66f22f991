package io.ordo.interop;

import static io.ordo.interop.OrdererKind.FABRIC;
import static io.ordo.interop.OrdererKind.ORDO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A live migration, the operator's way (docs/migrate-from-fabric.md): a channel of three Fabric
 * orderers becomes a channel of three Ordo nodes, one node at a time, with {@code ordo consenter
 * add}, {@code ordo channel join} of the config block it printed, a wait until the new node has
 * caught up, and {@code ordo consenter remove}, while load runs through the nodes that stay for the
 * whole step, in batches each audited by {@code ordo bench --acked-report} (every envelope answered
 * SUCCESS in the final chain, none twice, the chains agreeing). At the end the three Ordo nodes
 * hold one chain from block 0 that {@code ordo blocks verify} passes.
 *
 * <p>Not yet here: clients through every node that exists at each moment, reconnecting as nodes
 * come and go (the batches use the nodes that stay for the step, not the one added during it), one
 * audit over the whole run rather than per batch, and the longest gap in ordering across batches
 * (each step prints its tx/s and the longest commit gap within a batch).
 */
@InteropTest
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LiveMigrationTest {
  private static final Duration CATCH_UP = Duration.ofMinutes(2);
  private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);
  private static final int BATCH = 300;
  private static final Pattern CONFIG_BLOCK = Pattern.compile("config block (\\d+) of channel");

  @Test
  void threeFabricOrderersAreReplacedByThreeOrdoNodesUnderLoadAndBack(Stage stage)
      throws Exception {
    Network net =
        Network.on(stage)
            .orderers(FABRIC, FABRIC, FABRIC)
            .spares(ORDO, ORDO, ORDO, FABRIC, FABRIC, FABRIC)
            .build();
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    String admin =
        net.ordererOrg().resolve("users/Admin@example.com/msp") + ":" + Network.ORDERER_MSP;
    List<OrdererNode> members = new ArrayList<>(net.orderers());
    List<OrdererNode> ordo = net.spares().subList(0, 3);
    List<OrdererNode> fabricAgain = net.spares().subList(3, 6);

    long started = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      step(stage, net, admin, members, net.orderers().get(i), ordo.get(i), "migration " + (i + 1));
    }
    assertThat(members).containsExactlyElementsOf(ordo);
    Load.bench(stage, net, members, BATCH, BATCH_TIMEOUT);
    long height = Chains.assertIdentical(stage, net, members, CATCH_UP);
    System.out.printf(
        "migration: three Fabric orderers replaced by three Ordo nodes in %d s; %d blocks, one"
            + " chain on every Ordo node%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), height);

    started = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      step(stage, net, admin, members, ordo.get(i), fabricAgain.get(i), "rollback " + (i + 1));
    }
    assertThat(members).containsExactlyElementsOf(fabricAgain);
    Load.bench(stage, net, members, BATCH, BATCH_TIMEOUT);
    height = Chains.assertIdentical(stage, net, members, CATCH_UP);
    System.out.printf(
        "rollback: three Ordo nodes replaced by three Fabric orderers in %d s; %d blocks, one"
            + " chain from block 0 on every Fabric orderer%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), height);
  }

  /**
   * One step of the operator's procedure: {@code in} started and added as consenter, joined with
   * the config block the command printed, caught up; {@code out} removed as consenter, its channel
   * removed, stopped; load all along through the members that stay for the whole step.
   */
  private static void step(
      Stage stage,
      Network net,
      String admin,
      List<OrdererNode> members,
      OrdererNode out,
      OrdererNode in,
      String name)
      throws InterruptedException {
    List<OrdererNode> stayers = members.stream().filter(n -> n != out).toList();
    long stepStart = System.nanoTime();
    try (BackgroundLoad load = new BackgroundLoad(stage, net, stayers)) {
      in.start();
      ToolResult added =
          ordo(
              stage,
              net.clientFlags(members),
              "consenter",
              "add",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(in.ports().cluster()),
              "--client-tls-cert",
              in.cryptoDir().resolve("tls/server.crt").toString(),
              "--server-tls-cert",
              in.cryptoDir().resolve("tls/server.crt").toString(),
              "--orderer-endpoint",
              in.clientEndpoint(),
              "--sign-with",
              admin);
      long configBlock = configBlock(added);
      Path join = stage.dir("join-" + in.label());
      ordo(
          stage,
          net.clientFlags(members),
          "blocks",
          "fetch",
          "--from",
          Long.toString(configBlock),
          "--to",
          Long.toString(configBlock),
          "--output",
          join.toString());
      ToolResult joined =
          net.osnadmin().join(in, net.channel(), join.resolve("block-" + configBlock + ".pb"));
      assertThat(joined.out()).as(joined.describe()).startsWith("Status: 201");
      long target = members.stream().mapToLong(n -> net.status(n).height()).max().orElseThrow();
      members.add(in);
      // under load the heights never stand still: caught up is at the others' height of now
      await()
          .atMost(CATCH_UP)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> net.status(in).height() >= target);
      long caughtUp = System.nanoTime();

      ordo(
          stage,
          net.clientFlags(withNew(stayers, in)),
          "consenter",
          "remove",
          "--host",
          "127.0.0.1",
          "--port",
          Integer.toString(out.ports().cluster()),
          "--orderer-endpoint",
          out.clientEndpoint(),
          "--sign-with",
          admin);
      members.remove(out);
      net.osnadmin().remove(out, net.channel());
      out.stop();
      net.awaitLeader(members);
      BackgroundLoad.Figures f = load.stop();
      double seconds = (System.nanoTime() - stepStart) / 1e9;
      System.out.printf(
          "%s: %s in (caught up to height %d in %d s), %s out, step %.0f s; %d transactions"
              + " answered SUCCESS through %s, every one in the final chain: %.0f tx/s over the"
              + " step, longest commit gap within a batch %.0f ms%n",
          name,
          in.label(),
          target,
          Duration.ofNanos(caughtUp - stepStart).toSeconds(),
          out.label(),
          seconds,
          f.acknowledged(),
          stayers,
          f.acknowledged() / seconds,
          f.longestGapMs());
    }
  }

  private static List<OrdererNode> withNew(List<OrdererNode> stayers, OrdererNode added) {
    List<OrdererNode> out = new ArrayList<>(stayers);
    out.add(added);
    return out;
  }

  private static long configBlock(ToolResult r) {
    Matcher m = CONFIG_BLOCK.matcher(r.out());
    assertThat(m.find()).as(r.describe()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static ToolResult ordo(Stage stage, List<String> flags, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(flags);
    return stage.ordoTools().run(all).requireSuccess();
  }

  /**
   * Batches of {@code ordo bench --acked-report} through the given nodes, one after the other until
   * stopped: each audited by bench against the final chains (every transaction answered SUCCESS in
   * the chain, none twice, the chains agreeing). Refusals while a leader changes are allowed (exit
   * 4); a failed audit (exit 5) or anything else fails the step.
   */
  private static final class BackgroundLoad implements AutoCloseable {
    private static final Pattern SUCCESS = Pattern.compile("(\\d+) SUCCESS \\((\\d+) in chain\\)");
    private static final Pattern GAP = Pattern.compile("longest commit gap ([\\d.]+) ms");

    /** What the batches of a step did. */
    record Figures(int acknowledged, double longestGapMs) {}

    private final java.util.concurrent.atomic.AtomicLong longestGapMicros =
        new java.util.concurrent.atomic.AtomicLong();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    BackgroundLoad(Stage stage, Network net, List<OrdererNode> through) {
      AtomicInteger batch = new AtomicInteger();
      thread =
          Thread.ofPlatform()
              .name("migration-load")
              .start(
                  () -> {
                    while (running.get() && !through.isEmpty()) {
                      Path report =
                          stage.dir("load").resolve("acked-" + batch.incrementAndGet() + ".json");
                      List<String> args = new ArrayList<>(List.of("bench"));
                      args.addAll(net.clientFlags(through));
                      args.addAll(
                          List.of(
                              "--tx",
                              Integer.toString(BATCH),
                              "--seed",
                              Long.toString(stage.random().nextLong()),
                              "--timeout",
                              BATCH_TIMEOUT.toSeconds() + "s",
                              "--acked-report",
                              report.toString()));
                      ToolResult r = stage.ordoTools().run(args, BATCH_TIMEOUT.plusSeconds(30));
                      if (r.exitCode() != 0 && r.exitCode() != 4) {
                        failures.add(r.describe());
                        return;
                      }
                      Matcher m = SUCCESS.matcher(r.out());
                      if (m.find()) {
                        acknowledged.addAndGet(Integer.parseInt(m.group(1)));
                      }
                      Matcher g = GAP.matcher(r.out());
                      if (g.find()) {
                        long micros = (long) (Double.parseDouble(g.group(1)) * 1000);
                        longestGapMicros.accumulateAndGet(micros, Math::max);
                      }
                    }
                  });
    }

    /**
     * Stops after the batch under way: the transactions answered SUCCESS (every one in chain) and
     * the longest commit gap bench saw within a batch.
     */
    Figures stop() throws InterruptedException {
      running.set(false);
      thread.join(BATCH_TIMEOUT.toMillis() + 60_000);
      assertThat(failures).as("audited load batches during the step").isEmpty();
      return new Figures(acknowledged.get(), longestGapMicros.get() / 1000.0);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(BATCH_TIMEOUT.toMillis() + 60_000);
    }
  }
}
