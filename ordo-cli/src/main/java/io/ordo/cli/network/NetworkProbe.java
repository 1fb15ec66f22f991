package io.ordo.cli.network;

import io.ordo.cli.admin.OperationsClient;
import io.ordo.cli.admin.ParticipationClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Asks every node of a network.json for its state on the channel, and prints the table. */
final class NetworkProbe implements AutoCloseable {
  private final Path dir;
  private final NetworkFile network;
  private final ParticipationClient participation;
  private final OperationsClient operations = new OperationsClient();
  private final NodeProcesses processes;

  /** One node's row. */
  record NodeState(
      NetworkFile.Node node,
      boolean alive,
      Optional<ParticipationClient.ChannelStatus> channel,
      Optional<Boolean> leader) {}

  NetworkProbe(Path dir, NetworkFile network) {
    this.dir = dir;
    this.network = network;
    this.processes = new NodeProcesses(dir);
    this.participation =
        ParticipationClient.mutualTls(
            NetworkFile.resolve(dir, network.tlsCaFile()),
            NetworkFile.resolve(dir, network.admin().certFile()),
            NetworkFile.resolve(dir, network.admin().keyFile()));
  }

  ParticipationClient participation() {
    return participation;
  }

  List<NodeState> states() {
    List<NodeState> out = new ArrayList<>();
    for (NetworkFile.Node n : network.nodes()) {
      boolean alive = processes.running(shortName(n)).isPresent();
      out.add(
          new NodeState(
              n,
              alive,
              alive ? participation.status(n.adminEndpoint(), network.channel()) : Optional.empty(),
              alive ? operations.isLeader(n.operations(), network.channel()) : Optional.empty()));
    }
    return out;
  }

  /** Every node alive, the channel active with the genesis block at least. */
  static boolean ready(List<NodeState> states) {
    return states.stream()
        .allMatch(
            s -> s.alive() && s.channel().map(c -> c.active() && c.height() >= 1).orElse(false));
  }

  /** The raft ID of the node whose metrics say it leads, if any does. */
  static Optional<Long> leader(List<NodeState> states) {
    return states.stream()
        .filter(s -> s.leader().orElse(false))
        .map(s -> s.node().raftId())
        .findFirst();
  }

  static String shortName(NetworkFile.Node n) {
    int dot = n.name().indexOf('.');
    return dot < 0 ? n.name() : n.name().substring(0, dot);
  }

  /** The table of nodes, one line each, then the leader line. */
  String table(List<NodeState> states) {
    StringBuilder b = new StringBuilder();
    String format = "%-22s %-17s %-7s %-17s %-17s %-9s %-7s%n";
    b.append(
        String.format(
            format, "NODE", "CLIENT", "RAFT ID", "ADMIN", "OPERATIONS", "STATE", "HEIGHT"));
    for (NodeState s : states) {
      b.append(
          String.format(
              format,
              s.node().name(),
              s.node().client(),
              s.node().raftId(),
              s.node().adminEndpoint(),
              s.node().operations(),
              !s.alive() ? "down" : s.channel().map(c -> c.status()).orElse("starting"),
              s.channel().map(c -> Long.toString(c.height())).orElse("-")));
    }
    b.append("channel: ").append(network.channel()).append(", leader: ");
    boolean anyAlive = states.stream().anyMatch(NodeState::alive);
    b.append(leader(states).map(id -> "raft ID " + id).orElse(anyAlive ? "electing" : "-"));
    b.append(System.lineSeparator());
    return b.toString();
  }

  /** One line: heights per node. */
  String statusLine(List<NodeState> states) {
    StringBuilder b = new StringBuilder(network.channel()).append(" heights:");
    for (NodeState s : states) {
      b.append(' ')
          .append(shortName(s.node()))
          .append('=')
          .append(
              !s.alive() ? "down" : s.channel().map(c -> Long.toString(c.height())).orElse("?"));
    }
    return b.toString();
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    participation.close();
    operations.close();
  }
}
