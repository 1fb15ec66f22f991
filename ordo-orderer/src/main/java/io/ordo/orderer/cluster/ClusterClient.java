package io.ordo.orderer.cluster;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;
import org.hyperledger.fabric.protos.orderer.StepRequest;
import org.hyperledger.fabric.protos.orderer.SubmitRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of {@code orderer.Cluster/Step} (Fabric's Comm/RPC): one stream per remote node
 * (keyed by its endpoint and pinned server certificate, shared by all channels), a bounded buffer
 * per stream, consensus messages dropped when it is full, submits waiting up to the RPC timeout.
 */
public final class ClusterClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);

  /**
   * Consensus messages and forwarded submits travel on separate streams, as Fabric keeps them: a
   * leader that pauses intake stops reading submits, and the raft messages that would let it resume
   * must not queue behind them.
   */
  private enum Kind {
    CONSENSUS,
    SUBMIT
  }

  /** The certificate's own equality compares its encoding, without the copy getEncoded makes. */
  private record StreamKey(String endpoint, X509Certificate serverCert, Kind kind) {}

  private final ClusterMembership membership;
  private volatile TlsIdentity clientIdentity;
  private final TrustRoots serverRoots;
  private final ClientOptions options;
  private final UnreachableListener unreachable;
  private final Map<StreamKey, RemoteStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong droppedConsensus = new AtomicLong();
  private final CommMetrics metrics;
  private volatile boolean closed;
  private volatile boolean stopping;

  /**
   * Announcements made before this node listens for cluster streams. They wait: a consenter that
   * heard one would reconnect at once, find no listener yet, and back off for the whole base delay.
   */
  private final List<Runnable> heldAnnouncements = new ArrayList<>();

  private boolean listening; // guarded by heldAnnouncements

  public ClusterClient(
      ClusterMembership membership,
      TlsIdentity clientIdentity,
      TrustRoots serverRoots,
      ClientOptions options,
      UnreachableListener unreachable) {
    this(membership, clientIdentity, serverRoots, options, unreachable, CommMetrics.discarding());
  }

  /** As above, reporting Fabric's cluster_comm egress metrics to {@code metrics}. */
  public ClusterClient(
      ClusterMembership membership,
      TlsIdentity clientIdentity,
      TrustRoots serverRoots,
      ClientOptions options,
      UnreachableListener unreachable,
      CommMetrics metrics) {
    this.metrics = metrics;
    metrics.watchEgress(this::egressStreams, this::tlsConnections);
    this.membership = membership;
    this.clientIdentity = clientIdentity;
    this.serverRoots = serverRoots;
    this.options = options;
    this.unreachable = unreachable;
    membership.onContact(this::contacted);
  }

  /**
   * A consenter opened a stream to this node, so it is up: a stream to it that is waiting out its
   * backoff may reopen now (a node restarted after a long outage would otherwise wait up to
   * General.Backoff.MaxDelay before it hears from the others).
   */
  private void contacted(String channel, long id) {
    if (closed) {
      return;
    }
    membership
        .remote(channel, id)
        .ifPresent(
            r -> {
              for (Kind kind : Kind.values()) {
                RemoteStream s = streams.get(key(r, kind));
                if (s != null) {
                  s.retryNow();
                }
              }
            });
  }

  /**
   * Sends one raft message without blocking. When the destination is unknown or its buffer is full
   * the message is dropped and the node reported unreachable; raft retries.
   */
  public void sendConsensus(String channel, long to, ConsensusRequest request) {
    StepRequest step = StepRequest.newBuilder().setConsensusRequest(request).build();
    RemoteStream s = streamTo(channel, to, Kind.CONSENSUS);
    if (s == null || !s.offerConsensus(channel, to, step)) {
      droppedConsensus.incrementAndGet();
      LOG.debug("send buffer to {} of channel {} is full; consensus message dropped", to, channel);
      unreachable.unreachable(channel, to);
    }
  }

  /**
   * Tells consenter {@code to} of {@code channel} that this node is up (a stream from it resets the
   * backoff of that consenter's stream to this node), once this node listens for cluster streams.
   */
  public void announce(String channel, long to, ConsensusRequest request) {
    synchronized (heldAnnouncements) {
      if (!listening) {
        heldAnnouncements.add(() -> sendConsensus(channel, to, request));
        return;
      }
    }
    sendConsensus(channel, to, request);
  }

  /** This node's cluster listener accepts streams now: held announcements go out. */
  public void listening() {
    List<Runnable> held;
    synchronized (heldAnnouncements) {
      listening = true;
      held = List.copyOf(heldAnnouncements);
      heldAnnouncements.clear();
    }
    held.forEach(Runnable::run);
  }

  /**
   * Forwards a client's envelope to the leader and waits until it is written to the stream.
   *
   * @throws ClusterSendException on timeout (Fabric's "timed out (7s) waiting on forwarding to N")
   *     or a broken stream
   */
  public void sendSubmit(String channel, long to, SubmitRequest request) {
    RemoteStream s = streamTo(channel, to, Kind.SUBMIT);
    if (s == null) {
      throw new ClusterSendException("node " + to + " is not a consenter of channel " + channel);
    }
    s.sendSubmit(channel, to, StepRequest.newBuilder().setSubmitRequest(request).build());
  }

  /**
   * Presents {@code next} from now on: every stream is closed and the next send opens a new
   * connection with it (a rotated client certificate, no restart).
   */
  public void replaceIdentity(TlsIdentity next) {
    clientIdentity = next;
    streams.values().forEach(RemoteStream::close);
    streams.clear();
  }

  /** Consensus messages dropped so far because a buffer was full or the node unknown. */
  public long droppedConsensusMessages() {
    return droppedConsensus.get();
  }

  /**
   * Closes the streams of nodes no channel refers to any more; call after changing the membership.
   */
  public void prune() {
    Set<StreamKey> live = new HashSet<>();
    for (String channel : membership.channels()) {
      for (RemoteNode r : membership.remotes(channel)) {
        for (Kind kind : Kind.values()) {
          live.add(key(r, kind));
        }
      }
    }
    streams
        .entrySet()
        .removeIf(
            e -> {
              if (live.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  private RemoteStream streamTo(String channel, long to, Kind kind) {
    if (closed) {
      return null;
    }
    var remote = membership.remote(channel, to);
    if (remote.isEmpty()) {
      return null;
    }
    return streams.computeIfAbsent(
        key(remote.get(), kind),
        k ->
            new RemoteStream(
                remote.get(),
                clientIdentity,
                serverRoots,
                options,
                unreachable,
                metrics,
                () -> stopping || closed));
  }

  /** Streams open to the consenters of {@code channel} (Fabric: per channel and remote). */
  private int egressStreams(String channel) {
    if (!membership.hasChannel(channel)) {
      return 0;
    }
    int open = 0;
    for (RemoteNode r : membership.remotes(channel)) {
      RemoteStream s = streams.get(key(r, Kind.CONSENSUS));
      if (s != null && s.streamOpen()) {
        open++;
      }
    }
    return open;
  }

  private int tlsConnections() {
    return (int) streams.values().stream().filter(RemoteStream::connected).count();
  }

  private static StreamKey key(RemoteNode r, Kind kind) {
    return new StreamKey(r.endpoint(), r.serverTlsCert(), kind);
  }

  /**
   * This node is stopping: streams that break from now on (other nodes may be stopping too) are no
   * warning, only a debug line.
   */
  public void stopping() {
    stopping = true;
  }

  @Override
  public void close() {
    closed = true;
    streams.values().forEach(RemoteStream::close);
    streams.clear();
  }
}
