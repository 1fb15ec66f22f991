package io.ordo.orderer.localnet;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The orderer.yaml of one node of a local network on 127.0.0.1: TLS on the client, cluster and
 * admin listeners, the cluster on its own port with the node's TLS pair as its client certificate,
 * mutual TLS on the admin API, Prometheus metrics, no bootstrap block (channels are joined through
 * the admin API). {@code ordo network up} and the test fixtures write their nodes' files from it.
 * Paths are written as given: relative ones are read against the file's folder, as Fabric reads
 * orderer.yaml.
 *
 * @param tlsDir the folder of the node's server.key, server.crt and ca.crt
 * @param mspDir the node's local MSP folder
 * @param mspId its LocalMSPID
 * @param dataDir the folder of its ledger and its etcdraft WAL and snapshots
 * @param adminClientCa the CA certificate the admin API trusts for client certificates
 * @param ports the listeners' ports; an operations or admin port of 0 lets the node choose
 * @param generalExtras further {@code General:} lines ({@code "MaxRecvMsgSize: 1048576"})
 * @param clusterExtras further {@code General.Cluster:} lines
 */
public record LocalOrdererYaml(
    String tlsDir,
    String mspDir,
    String mspId,
    String dataDir,
    String adminClientCa,
    Ports ports,
    List<String> generalExtras,
    List<String> clusterExtras) {

  /** The node's listeners on 127.0.0.1. */
  public record Ports(int general, int cluster, int operations, int admin) {}

  public String yaml() {
    return """
        General:
          ListenAddress: 127.0.0.1
          ListenPort: %1$d
        %9$s  TLS:
            Enabled: true
            PrivateKey: %2$s/server.key
            Certificate: %2$s/server.crt
            RootCAs: [%2$s/ca.crt]
            ClientAuthRequired: false
          Cluster:
            ListenAddress: 127.0.0.1
            ListenPort: %3$d
            ServerCertificate: %2$s/server.crt
            ServerPrivateKey: %2$s/server.key
            ClientCertificate: %2$s/server.crt
            ClientPrivateKey: %2$s/server.key
            RootCAs: [%2$s/ca.crt]
        %10$s  BootstrapMethod: none
          LocalMSPDir: %4$s
          LocalMSPID: %5$s
        FileLedger:
          Location: %6$s/ledger
        Consensus:
          WALDir: %6$s/etcdraft/wal
          SnapDir: %6$s/etcdraft/snapshot
        Metrics:
          Provider: prometheus
        Operations:
          ListenAddress: 127.0.0.1:%7$d
        Admin:
          ListenAddress: 127.0.0.1:%8$d
          TLS:
            Enabled: true
            PrivateKey: %2$s/server.key
            Certificate: %2$s/server.crt
            ClientAuthRequired: true
            ClientRootCAs: [%11$s]
        """
        .formatted(
            ports.general(),
            tlsDir,
            ports.cluster(),
            mspDir,
            mspId,
            dataDir,
            ports.operations(),
            ports.admin(),
            lines(generalExtras, "  "),
            lines(clusterExtras, "    "),
            adminClientCa);
  }

  private static String lines(List<String> extras, String indent) {
    return extras.stream().map(l -> indent + l + "\n").collect(Collectors.joining());
  }
}
