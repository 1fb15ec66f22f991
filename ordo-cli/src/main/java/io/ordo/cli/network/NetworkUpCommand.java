package io.ordo.cli.network;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.admin.ParticipationClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ordo network up}: generates a network's material, starts one orderer process per node,
 * joins them to the channels and waits until every node holds the genesis block of each.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Start a local ordering service: N orderer processes on loopback, with TLS.")
public final class NetworkUpCommand implements Callable<Integer> {
  static final String DEFAULT_DIR = "./ordo-net";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STATUS_EVERY = Duration.ofSeconds(2);

  private final CliContext context;
  @Spec private CommandSpec spec;

  @Option(
      names = {"--nodes"},
      defaultValue = "3",
      description = "Number of orderer nodes (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = {"--channels"},
      defaultValue = "1",
      description =
          "Number of channels: mychannel, then mychannel2... (default: ${DEFAULT-VALUE}).")
  private int channels;

  @Option(
      names = {"--dir", "--network"},
      paramLabel = "DIR",
      defaultValue = DEFAULT_DIR,
      description = "Folder for the network's files, logs and ledgers (default: ${DEFAULT-VALUE}).")
  private Path dir;

  @Option(
      names = {"--ports"},
      defaultValue = "auto",
      description =
          "auto: Fabric's test-network ports (7050/7053/9443, then 8050/8053/9444...) when all"
              + " are free, else free ports; fabric: those or an error; free: free ports"
              + " (default: ${DEFAULT-VALUE}).")
  private NetworkPorts.Choice ports;

  @Option(
      names = {"--clean"},
      description = "Delete the folder's previous content first.")
  private boolean clean;

  @Option(
      names = {"--detach"},
      description = "Return once the network is up; stop it with ordo network down.")
  private boolean detach;

  NetworkUpCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (nodes < 1 || channels < 1) {
      throw new CommandFailedException(
          "--nodes and --channels must be at least 1 (got " + nodes + " and " + channels + ")",
          ExitCodes.USAGE,
          null);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path abs = dir.toAbsolutePath().normalize();
    prepare(abs);
    SecureRandom random = new SecureRandom();
    NetworkLayout layout = new NetworkLayout(abs, NetworkPorts.choose(nodes, ports));
    List<Block> genesis = layout.write(channels, random);
    NetworkFile file = layout.networkFile();
    file.write(abs);

    NodeProcesses processes = new NodeProcesses(abs);
    Map<String, ProcessHandle> started = new LinkedHashMap<>();
    Thread hook =
        new Thread(
            () -> {
              int stopped = stopAll(processes, started);
              out.println(System.lineSeparator() + "stopped " + stopped + " node(s)");
              out.flush();
            },
            "ordo-network-down");
    if (!detach) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try (NetworkProbe probe = new NetworkProbe(abs, file)) {
      for (int i = 1; i <= layout.size(); i++) {
        String node = NetworkLayout.nodeName(i);
        started.put(node, processes.start(node, layout.ordererYaml(i)));
      }
      out.println("started " + nodes + " node(s) in " + abs + "; joining them to the channels");
      out.flush();
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      for (int i = 1; i <= layout.size(); i++) {
        int port = layout.ports(i).admin();
        awaitOrFail(
            () -> listening(port), deadline, processes, started, "the admin API of orderer" + i);
        for (int c = 0; c < channels; c++) {
          String channel = NetworkLayout.channelName(c + 1);
          ParticipationClient.Response joined =
              probe
                  .participation()
                  .join("127.0.0.1:" + port, channel, genesis.get(c).toByteArray());
          if (joined.status() != 201) {
            throw new CommandFailedException(
                "joining orderer"
                    + i
                    + " to channel "
                    + channel
                    + " failed: HTTP "
                    + joined.status()
                    + " "
                    + joined.body().strip());
          }
        }
      }
      awaitOrFail(
          () -> allChannelsActive(probe, file, channels),
          deadline,
          processes,
          started,
          "every node to hold every channel's genesis block");
      awaitOrFail(
          () -> NetworkProbe.leader(probe.states()).isPresent(),
          deadline,
          processes,
          started,
          "a raft leader on " + file.channel());
      List<NetworkProbe.NodeState> states = probe.states();
      out.print(probe.table(states));
      out.print(hints(dir));
      out.flush();
      if (detach) {
        out.println("detached; stop it with: ./ordo network down --dir " + dir);
        out.flush();
        return ExitCodes.OK;
      }
      return foreground(probe, processes, started, out);
    } catch (RuntimeException e) {
      stopAll(processes, started);
      throw e;
    } finally {
      if (!detach) {
        removeHook(hook);
      }
    }
  }

  /** Runs until Ctrl-C (the shutdown hook stops the nodes) or until a node exits by itself. */
  private int foreground(
      NetworkProbe probe,
      NodeProcesses processes,
      Map<String, ProcessHandle> started,
      PrintWriter out) {
    out.println("running; Ctrl-C stops every node");
    out.flush();
    CompletableFuture<Object> anyExit =
        CompletableFuture.anyOf(
            started.values().stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    String last = "";
    while (true) {
      try {
        anyExit.get(STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        String line = probe.statusLine(probe.states());
        if (context.terminal()) {
          out.print("\r" + line);
          out.flush();
        } else if (!line.equals(last)) {
          out.println(line);
          out.flush();
        }
        last = line;
      } catch (ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopAll(processes, started);
        return ExitCodes.OK;
      }
    }
    String dead =
        started.entrySet().stream()
            .filter(e -> !e.getValue().isAlive())
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse("a node");
    stopAll(processes, started);
    throw new CommandFailedException(nodeDied(processes, dead));
  }

  private static String nodeDied(NodeProcesses processes, String node) {
    return node
        + " exited; the network is stopped. Last lines of "
        + processes.log(node)
        + ":"
        + System.lineSeparator()
        + processes.logTail(node);
  }

  private static void awaitOrFail(
      BooleanSupplier condition,
      Instant deadline,
      NodeProcesses processes,
      Map<String, ProcessHandle> started,
      String what) {
    CompletableFuture<Object> anyExit =
        CompletableFuture.anyOf(
            started.values().stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    while (!condition.getAsBoolean()) {
      for (Map.Entry<String, ProcessHandle> e : started.entrySet()) {
        if (!e.getValue().isAlive()) {
          throw new CommandFailedException(nodeDied(processes, e.getKey()));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new CommandFailedException(
            "timed out after "
                + START_TIMEOUT.toSeconds()
                + " s waiting for "
                + what
                + "; see the logs in "
                + processes.logsDir());
      }
      try {
        // waits for the poll interval, or less if a node exits meanwhile
        anyExit.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static boolean allChannelsActive(NetworkProbe probe, NetworkFile file, int channels) {
    for (NetworkFile.Node n : file.nodes()) {
      for (int c = 1; c <= channels; c++) {
        boolean ok =
            probe
                .participation()
                .status(n.adminEndpoint(), NetworkLayout.channelName(c))
                .map(s -> s.active() && s.height() >= 1)
                .orElse(false);
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String hints(Path dir) {
    String n = System.lineSeparator();
    return n
        + "try:"
        + n
        + "  ./ordo bench --network "
        + dir
        + " --tx 5000"
        + n
        + "  ./ordo blocks verify --network "
        + dir
        + n
        + "  ./ordo channel list --network "
        + dir
        + n
        + "  ./ordo network status --dir "
        + dir
        + n;
  }

  /** Refuses a folder whose network still runs; empties it with --clean; else it must be empty. */
  private void prepare(Path abs) {
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new CommandFailedException(abs + " exists and is not a folder");
    }
    NodeProcesses old = new NodeProcesses(abs);
    List<String> running =
        old.nodesWithPidFiles().stream().filter(n -> old.running(n).isPresent()).toList();
    if (!running.isEmpty()) {
      throw new CommandFailedException(
          "a network is running in "
              + abs
              + " (nodes "
              + String.join(", ", running)
              + "); stop it with: ./ordo network down --dir "
              + dir);
    }
    if (isEmptyOrMissing(abs)) {
      return;
    }
    if (!clean) {
      throw new CommandFailedException(
          abs + " is not empty; pass --clean to replace its content, or choose another --dir");
    }
    deleteContent(abs);
  }

  private static boolean isEmptyOrMissing(Path abs) {
    if (!Files.exists(abs)) {
      return true;
    }
    try (Stream<Path> s = Files.list(abs)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new CommandFailedException("cannot read " + abs + ": " + e.getMessage(), e);
    }
  }

  private static void deleteContent(Path abs) {
    try (Stream<Path> walk = Files.walk(abs)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(abs)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new CommandFailedException("cannot clean " + abs + ": " + e.getMessage(), e);
    }
  }

  /** Stops the nodes still running; returns how many there were. */
  private static int stopAll(NodeProcesses processes, Map<String, ProcessHandle> started) {
    List<ProcessHandle> alive = started.values().stream().filter(ProcessHandle::isAlive).toList();
    NodeProcesses.stop(alive, NetworkDownCommand.GRACE);
    started.keySet().forEach(processes::forget);
    return alive.size();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running
    }
  }
}
