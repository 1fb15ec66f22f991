package io.ordo.interop;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One orderer process of either implementation, started from the same {@link OrdererEnvironment}:
 * Fabric's {@code orderer} binary, or {@code java -jar ordo.jar orderer start}. It can be stopped
 * (SIGTERM), killed (SIGKILL) and started again on the same ports and folders.
 */
final class OrdererNode {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final int id;
  private final String name;
  private final OrdererKind kind;
  private final OrdererPorts ports;
  private final Path cryptoDir;
  private final Daemon daemon;
  private final Operations operations;

  /**
   * @param id the node's raft ID in the network's channel (its place among the consenters)
   * @param name its host name in the crypto material ({@code orderer1.example.com})
   * @param cryptoDir its folder of the crypto material
   * @param env its whole environment ({@link OrdererEnvironment#testNetwork}, maybe changed)
   * @param dataDir where it runs and keeps its data
   * @param logPrefix put before its {@link #label} in its log's name (a test with several networks)
   */
  OrdererNode(
      Stage stage,
      int id,
      String name,
      OrdererKind kind,
      OrdererPorts ports,
      Path cryptoDir,
      Map<String, String> env,
      Path dataDir,
      String logPrefix) {
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.ports = ports;
    this.cryptoDir = cryptoDir;
    List<String> command =
        kind == OrdererKind.FABRIC
            ? List.of(stage.fabric().tool("orderer").toString())
            : stage.ordo().nodeCommand();
    Map<String, String> environment = new java.util.HashMap<>(env);
    if (kind == OrdererKind.ORDO) {
      OrdoJar.nodeEnvironment().forEach(environment::putIfAbsent);
    }
    this.daemon = stage.daemon(logPrefix + label(), command, environment, dataDir);
    this.operations = new Operations(ports.operations());
  }

  int id() {
    return id;
  }

  String name() {
    return name;
  }

  OrdererKind kind() {
    return kind;
  }

  OrdererPorts ports() {
    return ports;
  }

  Path cryptoDir() {
    return cryptoDir;
  }

  /** {@code orderer2-ordo}: the node and its implementation, in logs and messages. */
  String label() {
    return name.substring(0, name.indexOf('.')) + "-" + kind.name().toLowerCase();
  }

  String clientEndpoint() {
    return "127.0.0.1:" + ports.client();
  }

  String adminEndpoint() {
    return "127.0.0.1:" + ports.admin();
  }

  Operations operations() {
    return operations;
  }

  boolean isAlive() {
    return daemon.isAlive();
  }

  /** Starts the process and waits until its operations endpoint says it is healthy. */
  void start() {
    daemon.start();
    awaitServing();
  }

  /** Starts the process without waiting (a start that must fail). */
  Daemon startOnly() {
    daemon.start();
    return daemon;
  }

  void awaitServing() {
    try {
      await()
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!daemon.isAlive()) {
                  throw new IllegalStateException(
                      label() + " exited while starting:\n" + String.join("\n", daemon.tail(30)));
                }
                return operations.healthy();
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          label() + " did not serve within " + START_TIMEOUT + ":\n" + daemon.tail(30), e);
    }
  }

  /** SIGTERM; returns the exit code. */
  int stop() {
    return daemon.stop();
  }

  /** SIGKILL. */
  void kill() {
    daemon.kill();
  }

  /** The process's ID while it runs. */
  java.util.OptionalLong pid() {
    return daemon.pid();
  }

  Daemon daemon() {
    return daemon;
  }

  @Override
  public String toString() {
    return label();
  }
}
