package io.ordo.cli.channel;

import io.ordo.cli.admin.AdminTls;
import io.ordo.cli.client.ClientCertificateOptions;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.network.NetworkFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * osnadmin's connection flags, or {@code --network DIR} reading the admin endpoints, CA and admin
 * client certificate from {@code DIR/network.json}; an explicit flag wins over the file. As a mixin
 * it also gives its command the exit codes of {@link AdminCalls}, which every command with these
 * options runs.
 */
@Command(
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every orderer answered 2xx",
      "1:an input could not be used, an orderer could not be reached, or answered an error",
      "2:wrong usage"
    })
public final class AdminOptions {
  @Option(
      names = {"-o", "--orderer-address"},
      paramLabel = "ADDR",
      description = "Admin endpoint (host:port) of the orderer.")
  private String address;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "PEM TLS CA certificate(s) of the orderer's admin endpoint; without it, plain HTTP.")
  private Path caFile;

  @Mixin private ClientCertificateOptions clientCertificate;

  @Option(
      names = "--network",
      paramLabel = "DIR",
      description =
          "Take the admin endpoints, TLS CA and admin client certificate from DIR/network.json"
              + " (written by 'ordo network up'): every node, or the one --node names.")
  private Path network;

  @Option(
      names = "--node",
      paramLabel = "NODE",
      description =
          "With --network: only this node, by name (orderer2.example.com or orderer2)"
              + " or raft ID.")
  private String node;

  @Option(names = "--no-status", description = "Do not print the HTTP status line before the body.")
  private boolean noStatus;

  boolean noStatus() {
    return noStatus;
  }

  AdminTarget resolve(CommandLine cmd) {
    if (node != null && network == null) {
      throw new ParameterException(cmd, "--node needs --network DIR");
    }
    if (address == null && network == null) {
      throw new ParameterException(
          cmd, "Missing required option: '-o/--orderer-address' (or --network DIR)");
    }
    Optional<OrdererTarget.ClientTls> given = clientCertificate.resolve(cmd);
    List<AdminTarget.Node> nodes;
    Path ca = caFile;
    Path cert = given.map(OrdererTarget.ClientTls::certificate).orElse(null);
    Path key = given.map(OrdererTarget.ClientTls::key).orElse(null);
    if (network != null) {
      NetworkFile n = NetworkFile.read(network);
      Path file = network.resolve(NetworkFile.FILE_NAME);
      List<NetworkFile.Node> chosen = node == null ? n.nodes() : List.of(n.node(node, file));
      nodes =
          address != null
              ? List.of(new AdminTarget.Node(Optional.empty(), address))
              : chosen.stream()
                  .map(x -> new AdminTarget.Node(Optional.ofNullable(x.name()), x.adminEndpoint()))
                  .toList();
      ca = ca != null ? ca : NetworkFile.resolve(network, n.tlsCaFile());
      if (n.admin() != null && cert == null) {
        cert = NetworkFile.resolve(network, n.admin().certFile());
        key = NetworkFile.resolve(network, n.admin().keyFile());
      }
    } else {
      nodes = List.of(new AdminTarget.Node(Optional.empty(), address));
    }
    for (AdminTarget.Node x : nodes) {
      if (x.endpoint() == null) {
        throw new ParameterException(
            cmd, "node " + x.name().orElse("?") + " of " + network + " has no admin endpoint");
      }
      OrdererEndpoint.parse(x.endpoint()); // host:port, or a one-line error
    }
    if (ca == null && cert != null) {
      throw new ParameterException(cmd, "--client-cert needs --ca-file (TLS)");
    }
    Optional<AdminTls.ClientCertificate> client =
        cert == null ? Optional.empty() : Optional.of(new AdminTls.ClientCertificate(cert, key));
    return new AdminTarget(nodes, Optional.ofNullable(ca), client);
  }
}
