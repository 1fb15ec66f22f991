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
 * audit over the whole run rather than per batch, the figures of the issue (tx/s during each step,
 * the longest gap in ordering), and the rollback to Fabric.
 */
@InteropTest
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LiveMigrationTest {
  private static final Duration CATCH_UP = Duration.ofMinutes(2);
  private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);
  private static final int BATCH = 300;
  private static final Pattern CONFIG_BLOCK = Pattern.compile("config block (\\d+) of channel");

  @Test
  void threeFabricOrderersAreReplacedByThreeOrdoNodesUnderLoad(Stage stage) throws Exception {
    Network net =
        Network.on(stage).orderers(FABRIC, FABRIC, FABRIC).spares(ORDO, ORDO, ORDO).build();
    net.startAll();
    net.joinAll();
    net.awaitLeader(net.orderers());
    String admin =
        net.ordererOrg().resolve("users/Admin@example.com/msp") + ":" + Network.ORDERER_MSP;
    List<OrdererNode> members = new ArrayList<>(net.orderers());
    long started = System.nanoTime();

    for (int step = 0; step < 3; step++) {
      OrdererNode fabric = net.orderers().get(step);
      OrdererNode ordo = net.spares().get(step);
      List<OrdererNode> stayers = members.stream().filter(n -> n != fabric).toList();
      long stepStart = System.nanoTime();
      try (BackgroundLoad load = new BackgroundLoad(stage, net, stayers)) {
        ordo.start();
        ToolResult added =
            ordo(
                stage,
                net.clientFlags(members),
                "consenter",
                "add",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(ordo.ports().cluster()),
                "--client-tls-cert",
                ordo.cryptoDir().resolve("tls/server.crt").toString(),
                "--server-tls-cert",
                ordo.cryptoDir().resolve("tls/server.crt").toString(),
                "--orderer-endpoint",
                ordo.clientEndpoint(),
                "--sign-with",
                admin);
        long configBlock = configBlock(added);
        Path join = stage.dir("join-" + ordo.label());
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
            net.osnadmin().join(ordo, net.channel(), join.resolve("block-" + configBlock + ".pb"));
        assertThat(joined.out()).as(joined.describe()).startsWith("Status: 201");
        long target = members.stream().mapToLong(n -> net.status(n).height()).max().orElseThrow();
        members.add(ordo);
        // under load the heights never stand still: caught up is at the others' height of now
        await()
            .atMost(CATCH_UP)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> net.status(ordo).height() >= target);
        long caughtUp = System.nanoTime();

        ordo(
            stage,
            net.clientFlags(stayers.isEmpty() ? List.of(ordo) : withNew(stayers, ordo)),
            "consenter",
            "remove",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(fabric.ports().cluster()),
            "--orderer-endpoint",
            fabric.clientEndpoint(),
            "--sign-with",
            admin);
        members.remove(fabric);
        net.osnadmin().remove(fabric, net.channel());
        fabric.stop();
        net.awaitLeader(members);
        int acknowledged = load.stop();
        System.out.printf(
            "migration step %d: %s in (caught up to height %d in %d s), %s out, step %d s;"
                + " meanwhile %d transactions answered SUCCESS through %s, every one in the final"
                + " chain%n",
            step + 1,
            ordo.label(),
            target,
            Duration.ofNanos(caughtUp - stepStart).toSeconds(),
            fabric.label(),
            Duration.ofNanos(System.nanoTime() - stepStart).toSeconds(),
            acknowledged,
            stayers);
      }
    }

    assertThat(members).containsExactlyElementsOf(net.spares());
    Load.bench(stage, net, members, BATCH, BATCH_TIMEOUT);
    long height = Chains.assertIdentical(stage, net, members, CATCH_UP);
    System.out.printf(
        "migration: three Fabric orderers replaced by three Ordo nodes in %d s; %d blocks, one"
            + " chain on every Ordo node%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), height);
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
                    }
                  });
    }

    /** Stops after the batch under way; the transactions answered SUCCESS, every one in chain. */
    int stop() throws InterruptedException {
      running.set(false);
      thread.join(BATCH_TIMEOUT.toMillis() + 60_000);
      assertThat(failures).as("audited load batches during the step").isEmpty();
      return acknowledged.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(BATCH_TIMEOUT.toMillis() + 60_000);
    }
  }
}
