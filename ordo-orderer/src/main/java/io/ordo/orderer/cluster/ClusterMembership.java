package io.ordo.orderer.cluster;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Who may talk to whom, per channel: the other consenters of each channel this node is a consenter
 * of. Chains set it at start and after each membership change; the server uses it to identify the
 * sender of every request, the client to find where to send.
 */
public final class ClusterMembership {
  private final Map<String, List<RemoteNode>> remotesByChannel = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, Long>> contactListeners = new CopyOnWriteArrayList<>();

  /**
   * Senders already identified: every request names its sender by certificate, and comparing public
   * keys allocates their encodings. Cleared whenever the membership changes.
   */
  private final Map<Sender, Optional<Long>> senders = new ConcurrentHashMap<>();

  private record Sender(String channel, X509Certificate clientCert) {}

  /**
   * Registers {@code listener} to be told (channel, raft ID) when a consenter opens a stream to
   * this node: that node is up, whatever the last attempt to reach it said.
   */
  public void onContact(BiConsumer<String, Long> listener) {
    contactListeners.add(listener);
  }

  /** The server heard from consenter {@code sender} of {@code channel} on a new stream. */
  void contacted(String channel, long sender) {
    contactListeners.forEach(l -> l.accept(channel, sender));
  }

  /** Sets the other consenters of {@code channel} (all except this node). */
  public void configure(String channel, List<RemoteNode> remotes) {
    remotesByChannel.put(channel, List.copyOf(remotes));
    senders.clear();
  }

  public void remove(String channel) {
    remotesByChannel.remove(channel);
    senders.clear();
  }

  public java.util.Set<String> channels() {
    return java.util.Set.copyOf(remotesByChannel.keySet());
  }

  public boolean hasChannel(String channel) {
    return remotesByChannel.containsKey(channel);
  }

  public List<RemoteNode> remotes(String channel) {
    return remotesByChannel.getOrDefault(channel, List.of());
  }

  public Optional<RemoteNode> remote(String channel, long id) {
    return remotes(channel).stream().filter(r -> r.id() == id).findFirst();
  }

  /**
   * The raft ID of the consenter whose client certificate has the public key of {@code clientCert},
   * as Fabric looks the sender up.
   */
  public Optional<Long> senderOf(String channel, X509Certificate clientCert) {
    Sender key = new Sender(channel, clientCert);
    Optional<Long> known = senders.get(key);
    if (known != null) {
      return known;
    }
    List<RemoteNode> remotes = remotes(channel);
    Optional<Long> found = lookUp(remotes, clientCert);
    // a concurrent configure may have replaced the remotes: only an answer about the current
    // ones is kept
    if (remotes == remotesByChannel.get(channel) && senders.size() < MAX_SENDERS) {
      senders.put(key, found);
    }
    return found;
  }

  /** Bounds the cache: refused certificates must not grow it without limit. */
  private static final int MAX_SENDERS = 1024;

  private static Optional<Long> lookUp(List<RemoteNode> remotes, X509Certificate clientCert) {
    return remotes.stream()
        .filter(r -> PublicKeys.samePublicKey(r.clientTlsCert(), clientCert))
        .map(RemoteNode::id)
        .findFirst();
  }
}
