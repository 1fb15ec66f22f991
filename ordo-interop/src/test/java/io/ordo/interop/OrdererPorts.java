package io.ordo.interop;

/**
 * An orderer's loopback ports.
 *
 * @param client Broadcast and Deliver
 * @param cluster the Step service: {@code client} when the cluster shares that listener
 * @param admin the channel participation API
 * @param operations healthz and metrics
 */
record OrdererPorts(int client, int cluster, int admin, int operations) {
  static OrdererPorts allocate(Stage stage, ClusterListener listener) {
    int client = stage.freePort();
    int cluster = listener == ClusterListener.SHARED ? client : stage.freePort();
    return new OrdererPorts(client, cluster, stage.freePort(), stage.freePort());
  }
}
