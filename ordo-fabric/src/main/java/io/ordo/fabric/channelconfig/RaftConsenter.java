package io.ordo.fabric.channelconfig;

/** One etcdraft consenter: endpoint and PEM TLS certificates as the config holds them. */
public record RaftConsenter(String host, int port, byte[] clientTlsCert, byte[] serverTlsCert) {
  public String endpoint() {
    return host + ":" + port;
  }
}
