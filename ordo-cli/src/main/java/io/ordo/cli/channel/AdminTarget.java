package io.ordo.cli.channel;

import io.ordo.cli.admin.AdminTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The admin endpoints to call and how: TLS CA and client certificate, or plain HTTP when there is
 * no CA (as osnadmin without {@code --ca-file}).
 *
 * @param nodes the admin endpoints, each with the node's name when a network file gave it
 * @param tlsCa the CA of the nodes' admin TLS certificates
 * @param client the TLS client certificate the admin API requires
 */
record AdminTarget(
    List<Node> nodes, Optional<Path> tlsCa, Optional<AdminTls.ClientCertificate> client) {
  AdminTarget {
    nodes = List.copyOf(nodes);
  }

  /**
   * @param name the node's name, empty for an endpoint given by -o
   * @param endpoint host:port of its admin listener
   */
  record Node(Optional<String> name, String endpoint) {}
}
