package io.ordo.orderer.consensus.etcdraft;

import io.ordo.raft.pb.Message;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The nodes of one channel in one JVM: a message is stepped into the destination node. A node can
 * be cut off (messages to and from it fail as an unreachable peer would).
 */
final class InMemoryTransport {
  private final Map<Long, Consumer<Message>> nodes = new ConcurrentHashMap<>();
  private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

  RaftTransport from(long self) {
    return (to, message) -> deliver(self, to, message);
  }

  void register(long id, Consumer<Message> node) {
    nodes.put(id, node);
  }

  void unregister(long id) {
    nodes.remove(id);
  }

  void isolate(long id) {
    isolated.add(id);
  }

  void heal(long id) {
    isolated.remove(id);
  }

  private void deliver(long from, long to, Message message) {
    Consumer<Message> dest = nodes.get(to);
    if (dest == null || isolated.contains(from) || isolated.contains(to)) {
      throw new RaftTransport.SendFailedException("node " + to + " is not reachable from " + from);
    }
    dest.accept(message);
  }
}
