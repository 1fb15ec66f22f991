package io.ordo.interop;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables that start one orderer, of either implementation, as Fabric's test network starts
 * its orderers ({@code compose-test-net.yaml} of fabric-samples): {@code FABRIC_CFG_PATH} on
 * Fabric's unedited sample config, TLS turned on through variables (the sample has it off on the
 * client port), the node's MSP and TLS files from the crypto material, {@code
 * BOOTSTRAPMETHOD=none}, mutual TLS on the admin API, Prometheus metrics; and what a host running
 * several orderers must change: loopback ports and the ledger, WAL and snapshot folders.
 */
final class OrdererEnvironment {
  private OrdererEnvironment() {}

  /**
   * @param config Fabric's config folder ({@code FABRIC_CFG})
   * @param node the node's folder of the crypto material ({@code .../orderers/<name>})
   * @param mspId the orderer org's MSP ID
   * @param ports where it listens
   * @param listener whether the cluster shares the client port
   * @param data the node's data folder
   */
  static Map<String, String> testNetwork(
      Path config,
      Path node,
      String mspId,
      OrdererPorts ports,
      ClusterListener listener,
      Path data) {
    String tls = node.resolve("tls").toString();
    String cert = tls + "/server.crt";
    String key = tls + "/server.key";
    String ca = "[" + tls + "/ca.crt]";
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FABRIC_CFG_PATH", config.toString());
    env.put("FABRIC_LOGGING_SPEC", "INFO");
    env.put("ORDERER_GENERAL_LISTENADDRESS", "127.0.0.1");
    env.put("ORDERER_GENERAL_LISTENPORT", Integer.toString(ports.client()));
    env.put("ORDERER_GENERAL_LOCALMSPID", mspId);
    env.put("ORDERER_GENERAL_LOCALMSPDIR", node.resolve("msp").toString());
    env.put("ORDERER_GENERAL_TLS_ENABLED", "true");
    env.put("ORDERER_GENERAL_TLS_PRIVATEKEY", key);
    env.put("ORDERER_GENERAL_TLS_CERTIFICATE", cert);
    env.put("ORDERER_GENERAL_TLS_ROOTCAS", ca);
    env.put("ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE", cert);
    env.put("ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY", key);
    env.put("ORDERER_GENERAL_CLUSTER_ROOTCAS", ca);
    if (listener == ClusterListener.SEPARATE) {
      env.put("ORDERER_GENERAL_CLUSTER_LISTENADDRESS", "127.0.0.1");
      env.put("ORDERER_GENERAL_CLUSTER_LISTENPORT", Integer.toString(ports.cluster()));
      env.put("ORDERER_GENERAL_CLUSTER_SERVERCERTIFICATE", cert);
      env.put("ORDERER_GENERAL_CLUSTER_SERVERPRIVATEKEY", key);
    }
    env.put("ORDERER_GENERAL_BOOTSTRAPMETHOD", "none");
    env.put("ORDERER_CHANNELPARTICIPATION_ENABLED", "true");
    env.put("ORDERER_ADMIN_TLS_ENABLED", "true");
    env.put("ORDERER_ADMIN_TLS_CERTIFICATE", cert);
    env.put("ORDERER_ADMIN_TLS_PRIVATEKEY", key);
    env.put("ORDERER_ADMIN_TLS_ROOTCAS", ca);
    env.put("ORDERER_ADMIN_TLS_CLIENTROOTCAS", ca);
    env.put("ORDERER_ADMIN_LISTENADDRESS", "127.0.0.1:" + ports.admin());
    env.put("ORDERER_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + ports.operations());
    env.put("ORDERER_METRICS_PROVIDER", "prometheus");
    env.put("ORDERER_FILELEDGER_LOCATION", data.resolve("ledger").toString());
    env.put("ORDERER_CONSENSUS_WALDIR", data.resolve("etcdraft/wal").toString());
    env.put("ORDERER_CONSENSUS_SNAPDIR", data.resolve("etcdraft/snapshot").toString());
    return env;
  }
}
