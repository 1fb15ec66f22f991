package io.ordo.interop;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Fabric's peer, started as Fabric's documentation starts it: {@code peer node start} with {@code
 * FABRIC_CFG_PATH} on Fabric's unedited core.yaml and {@code CORE_PEER_*} variables (those of
 * Fabric's test network, with loopback ports and a data folder of its own; no chaincode runtime).
 */
final class PeerNode {
  private final Path cryptoDir;
  private final int port;
  private final Daemon daemon;
  private final Operations operations;

  /**
   * @param cryptoDir the peer's folder of the crypto material ({@code .../peers/<name>})
   */
  PeerNode(Stage stage, String name, String mspId, Path cryptoDir) {
    this.cryptoDir = cryptoDir;
    this.port = stage.freePort();
    int chaincode = stage.freePort();
    int ops = stage.freePort();
    Path data = stage.dir("peers/" + name);
    String address = "127.0.0.1:" + port;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FABRIC_CFG_PATH", stage.fabric().config().toString());
    env.put("FABRIC_LOGGING_SPEC", "INFO");
    env.put("CORE_PEER_ID", name);
    env.put("CORE_PEER_ADDRESS", address);
    env.put("CORE_PEER_LISTENADDRESS", address);
    env.put("CORE_PEER_CHAINCODEADDRESS", "127.0.0.1:" + chaincode);
    env.put("CORE_PEER_CHAINCODELISTENADDRESS", "127.0.0.1:" + chaincode);
    env.put("CORE_PEER_GOSSIP_BOOTSTRAP", address);
    env.put("CORE_PEER_GOSSIP_EXTERNALENDPOINT", address);
    env.put("CORE_PEER_LOCALMSPID", mspId);
    env.put("CORE_PEER_MSPCONFIGPATH", cryptoDir.resolve("msp").toString());
    env.put("CORE_PEER_TLS_ENABLED", "true");
    env.put("CORE_PEER_TLS_CERT_FILE", cryptoDir.resolve("tls/server.crt").toString());
    env.put("CORE_PEER_TLS_KEY_FILE", cryptoDir.resolve("tls/server.key").toString());
    env.put("CORE_PEER_TLS_ROOTCERT_FILE", tlsCa().toString());
    env.put("CORE_PEER_FILESYSTEMPATH", data.resolve("production").toString());
    env.put("CORE_LEDGER_SNAPSHOTS_ROOTDIR", data.resolve("snapshots").toString());
    env.put("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:" + ops);
    // no Docker here: the peer commits blocks and runs no chaincode
    env.put("CORE_VM_ENDPOINT", "");
    this.daemon =
        stage.daemon(
            name.substring(0, name.indexOf('.')) + "-fabric-peer",
            List.of(stage.fabric().tool("peer").toString(), "node", "start"),
            env,
            data);
    this.operations = new Operations(ops);
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  Path tlsCa() {
    return cryptoDir.resolve("tls/ca.crt");
  }

  void start() {
    daemon.start();
    Duration within = OrdererNode.START_TIMEOUT;
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!daemon.isAlive()) {
                  throw new IllegalStateException(
                      "the peer exited while starting:\n" + String.join("\n", daemon.tail(30)));
                }
                // the operations endpoint serves before the peer's own gRPC listener does
                return operations.healthy() && accepts(port);
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "the peer did not serve within " + within + ":\n" + daemon.tail(30), e);
    }
  }
}
