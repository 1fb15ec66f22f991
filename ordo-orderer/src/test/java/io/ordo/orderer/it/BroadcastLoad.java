package io.ordo.orderer.it;

import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Clients broadcasting to a cluster at a steady pace while nodes come and go: each client keeps one
 * stream to a running node with at most {@code window} envelopes unanswered, and when the stream
 * fails it moves to another running node. Every envelope carries a unique id ("c{client}-{n}"); the
 * load records which ids were answered SUCCESS, refused (with the status) or never answered because
 * the stream broke.
 */
final class BroadcastLoad implements AutoCloseable {
  /** How long a test waits for the next envelopes to be answered SUCCESS. */
  static final Duration AWAIT = Duration.ofSeconds(30);

  private final ProcessCluster cluster;
  private final SignedRequests requests;
  private final String idPrefix;
  private final int perTick;
  private final int window;
  private final Duration tick;
  private final Random random;
  private final List<Client> clients = new ArrayList<>();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private volatile boolean stopped;
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, String> refused = new ConcurrentHashMap<>();
  private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

  /** The node each envelope was sent to. */
  private final Map<String, Integer> sentTo = new ConcurrentHashMap<>();

  /** How many Broadcast streams ended, by the node or with an error, per node they were on. */
  private final Map<Integer, Integer> streamEnds = new ConcurrentHashMap<>();

  /**
   * @param perTick envelopes each client sends per tick (fewer when its window is full)
   * @param random picks the node each client (re)connects to
   */
  BroadcastLoad(
      ProcessCluster cluster,
      SignedRequests requests,
      int clientCount,
      int perTick,
      Duration tick,
      int window,
      Random random) {
    this(cluster, requests, "", clientCount, perTick, tick, window, random);
  }

  /**
   * @param idPrefix put before every id, so that loads run one after the other on one cluster send
   *     different ids
   */
  BroadcastLoad(
      ProcessCluster cluster,
      SignedRequests requests,
      String idPrefix,
      int clientCount,
      int perTick,
      Duration tick,
      int window,
      Random random) {
    this.idPrefix = idPrefix;
    this.cluster = cluster;
    this.requests = requests;
    this.perTick = perTick;
    this.tick = tick;
    this.window = window;
    this.random = random;
    for (int c = 0; c < clientCount; c++) {
      clients.add(new Client(c));
    }
  }

  void start() {
    // each client on a thread of its own each tick: one that opens a TLS channel to a node that
    // came back must not hold up the others, or the load pauses and so do the blocks
    pacer.scheduleAtFixedRate(
        () -> clients.forEach(c -> Thread.ofVirtual().start(c::sendSome)),
        0,
        tick.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops sending, then waits until every envelope sent is answered or its stream has failed. */
  void stop() {
    stopped = true;
    pacer.shutdownNow();
    try {
      pacer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> clients.stream().allMatch(Client::idle));
    clients.forEach(Client::closeStream);
  }

  int sentCount() {
    return sent.size();
  }

  /** How many envelopes were answered SUCCESS so far. */
  int acceptedCount() {
    return accepted.size();
  }

  /**
   * When the first envelope sent at or after {@code nanos} ({@link System#nanoTime}) was answered
   * SUCCESS, that is found in a block: the cluster ordering new work again after a fault.
   */
  java.util.OptionalLong firstAcceptedSentAfter(long nanos) {
    return acceptedAt.entrySet().stream()
        .filter(e -> sentAt.getOrDefault(e.getKey(), Long.MIN_VALUE) >= nanos)
        .mapToLong(Map.Entry::getValue)
        .min();
  }

  Set<String> sent() {
    return Set.copyOf(sent);
  }

  Set<String> accepted() {
    return Set.copyOf(accepted);
  }

  Map<String, String> refused() {
    return Map.copyOf(refused);
  }

  Set<String> unanswered() {
    return Set.copyOf(unanswered);
  }

  /**
   * The longest time between two envelopes sent to any node at or after {@code fromNanos} ({@link
   * System#nanoTime}): a pause of the load itself, which a gap between blocks cannot be shorter
   * than.
   */
  Duration longestSendPause(long fromNanos) {
    long[] times =
        sentAt.values().stream().mapToLong(t -> t).filter(t -> t >= fromNanos).sorted().toArray();
    long longest = 0;
    for (int i = 1; i < times.length; i++) {
      longest = Math.max(longest, times[i] - times[i - 1]);
    }
    return Duration.ofNanos(longest);
  }

  /** How many of this load's Broadcast streams to {@code node} have ended, for whatever reason. */
  int streamsEndedOn(int node) {
    return streamEnds.getOrDefault(node, 0);
  }

  /** The node envelope {@code txId} was sent to. */
  int sentTo(String txId) {
    return sentTo.get(txId);
  }

  /**
   * Waits until {@code count} envelopes were answered SUCCESS; when they are not within {@link
   * #AWAIT}, fails with where the cluster and each client stand.
   */
  void awaitAcceptedAtLeast(int count) {
    try {
      await()
          .atMost(AWAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> accepted.size() >= count);
    } catch (ConditionTimeoutException e) {
      Map<Integer, Long> heights = new TreeMap<>();
      cluster.running().forEach(n -> heights.put(n, cluster.height(n).orElse(-1)));
      throw new AssertionError(
          "fewer than "
              + count
              + " envelopes answered SUCCESS within "
              + AWAIT
              + "; running "
              + cluster.running()
              + ", leader "
              + cluster.leader()
              + ", heights "
              + heights
              + "; "
              + describe(),
          e);
    }
  }

  /**
   * Where each client stands and the most frequent refusals: what a test that waits in vain for
   * answers reports.
   */
  String describe() {
    Map<String, Long> byAnswer =
        refused.values().stream()
            .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    return clients.stream().map(Client::describe).collect(Collectors.joining("; "))
        + "; "
        + accepted.size()
        + " answered SUCCESS, refusals "
        + byAnswer;
  }

  @Override
  public void close() {
    stopped = true;
    pacer.shutdownNow();
    clients.forEach(Client::closeStream);
  }

  /** One client: its current stream and the ids that stream has not answered yet. */
  private final class Client {
    private final int id;
    private long next;
    private Stream stream;
    private int node;

    Client(int id) {
      this.id = id;
    }

    synchronized void sendSome() {
      if (stopped) {
        return;
      }
      if (stream == null || stream.ended) {
        List<Integer> up = cluster.running();
        if (up.isEmpty()) {
          return;
        }
        node = up.get(random.nextInt(up.size()));
        stream = new Stream(node);
        try {
          stream.requests = AtomicBroadcastGrpc.newStub(cluster.client(node)).broadcast(stream);
        } catch (RuntimeException e) {
          stream = null;
          return;
        }
      }
      for (int k = 0; k < perTick; k++) {
        Envelope env;
        String txId;
        synchronized (stream) {
          if (stream.ended || stream.waiting.size() >= window) {
            return;
          }
          txId = idPrefix + "c" + id + "-" + next++;
          stream.waiting.add(txId);
        }
        env = requests.transaction(txId);
        sent.add(txId);
        sentTo.put(txId, node);
        sentAt.put(txId, System.nanoTime());
        stream.requests.onNext(env);
      }
    }

    synchronized String describe() {
      if (stream == null) {
        return "c" + id + ": no stream";
      }
      synchronized (stream) {
        return "c"
            + id
            + ": node "
            + node
            + (stream.ended ? " ended" : " open")
            + ", "
            + stream.waiting.size()
            + " unanswered";
      }
    }

    synchronized boolean idle() {
      if (stream == null) {
        return true;
      }
      synchronized (stream) {
        return stream.ended || stream.waiting.isEmpty();
      }
    }

    synchronized void closeStream() {
      if (stream != null && !stream.ended) {
        stream.requests.onCompleted();
      }
    }
  }

  /** One Broadcast stream: answers arrive in the order the envelopes were sent. */
  private final class Stream implements StreamObserver<BroadcastResponse> {
    final Deque<String> waiting = new ArrayDeque<>();
    final int node;
    volatile StreamObserver<Envelope> requests;
    volatile boolean ended;

    Stream(int node) {
      this.node = node;
    }

    @Override
    public synchronized void onNext(BroadcastResponse r) {
      String txId = waiting.poll();
      if (txId == null) {
        return;
      }
      if (r.getStatus() == Status.SUCCESS) {
        acceptedAt.put(txId, System.nanoTime());
        accepted.add(txId);
      } else {
        refused.put(txId, r.getStatus() + " " + r.getInfo());
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      end();
    }

    @Override
    public synchronized void onCompleted() {
      end();
    }

    private void end() {
      if (!ended) {
        streamEnds.merge(node, 1, Integer::sum);
      }
      ended = true;
      unanswered.addAll(waiting);
      waiting.clear();
    }
  }
}
