package io.ordo.raft;

import com.google.protobuf.ByteString;
import io.ordo.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Pending read-index requests of a leader and the heartbeat acks that confirm them. */
final class ReadOnly {
  /** One pending request: the commit index when it arrived and who acknowledged it since. */
  record Status(Message req, long index, Map<Long, Boolean> acks) {}

  private final ReadOnlyOption option;
  private final Map<ByteString, Status> pending = new HashMap<>();
  private final ArrayDeque<ByteString> queue = new ArrayDeque<>();

  ReadOnly(ReadOnlyOption option) {
    this.option = option;
  }

  ReadOnlyOption option() {
    return option;
  }

  void addRequest(long index, Message m) {
    ByteString ctx = m.getEntries(0).getData();
    if (pending.containsKey(ctx)) {
      return;
    }
    pending.put(ctx, new Status(m, index, new HashMap<>()));
    queue.addLast(ctx);
  }

  /** Records an ack for the request {@code ctx}; returns its acks, or null if none is pending. */
  Map<Long, Boolean> recvAck(long id, ByteString ctx) {
    Status rs = pending.get(ctx);
    if (rs == null) {
      return null;
    }
    rs.acks().put(id, true);
    return rs.acks();
  }

  /** Dequeues the requests up to and including the one of {@code m}'s context. */
  List<Status> advance(Message m) {
    ByteString ctx = m.getContext();
    List<Status> rss = new ArrayList<>();
    boolean found = false;
    int i = 0;
    for (ByteString okctx : queue) {
      i++;
      Status rs = pending.get(okctx);
      if (rs == null) {
        throw new IllegalStateException("cannot find corresponding read state from pending map");
      }
      rss.add(rs);
      if (okctx.equals(ctx)) {
        found = true;
        break;
      }
    }
    if (!found) {
      return List.of();
    }
    Iterator<ByteString> it = queue.iterator();
    for (int k = 0; k < i; k++) {
      it.next();
      it.remove();
    }
    for (Status rs : rss) {
      pending.remove(rs.req().getEntries(0).getData());
    }
    return rss;
  }

  /** The context of the newest pending request, or null. */
  ByteString lastPendingRequestCtx() {
    return queue.peekLast();
  }
}
