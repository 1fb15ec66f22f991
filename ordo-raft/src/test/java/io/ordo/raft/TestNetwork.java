package io.ordo.raft;

import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * An in-memory network of {@link Raft} state machines that delivers messages synchronously until
 * none are left, with drops, cuts and ignored types (the shape of etcd raft's test network). Used
 * by the rule tests; the randomized simulator lives in {@code io.ordo.raft.sim}.
 */
final class TestNetwork {
  private final Map<Long, Raft> peers = new HashMap<>();
  private final Map<Long, MemoryStorage> storage = new HashMap<>();
  private final Set<Long> blackHoles = new HashSet<>();
  private final Map<Long, Double> dropm = new HashMap<>(); // key: from << 32 | to
  private final Set<MessageType> ignorem = new HashSet<>();
  private final Random rand = new Random(1);

  /** Every message delivered, in order, for assertions. */
  final List<Message> delivered = new ArrayList<>();

  private TestNetwork() {}

  static TestNetwork of(int n) {
    return of(n, b -> b);
  }

  /** {@code n} voters with ids 1..n; {@code cfg} adjusts each node's configuration. */
  static TestNetwork of(int n, UnaryOperator<Config.Builder> cfg) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i + 1;
    }
    TestNetwork net = new TestNetwork();
    for (long id : ids) {
      MemoryStorage ms = storageWithVoters(ids);
      net.storage.put(id, ms);
      net.peers.put(id, newRaft(id, ms, cfg));
    }
    return net;
  }

  static MemoryStorage storageWithVoters(long... voters) {
    MemoryStorage ms = new MemoryStorage();
    ConfState.Builder cs = ConfState.newBuilder().setAutoLeave(false);
    Arrays.stream(voters).forEach(cs::addVoters);
    ms.initConfState(cs.build());
    return ms;
  }

  static Raft newRaft(long id, Storage storage, UnaryOperator<Config.Builder> cfg) {
    Config.Builder b =
        Config.builder(id, storage)
            .electionTick(10)
            .heartbeatTick(1)
            .maxSizePerMsg(Entries.NO_LIMIT)
            .maxInflightMsgs(256)
            .random(new SplittableRandom(id));
    return new Raft(cfg.apply(b).build());
  }

  Raft peer(long id) {
    return peers.get(id);
  }

  MemoryStorage storage(long id) {
    return storage.get(id);
  }

  /** Replaces a node (for example by a restarted one), or makes it a black hole with null. */
  void replace(long id, Raft r) {
    if (r == null) {
      blackHoles.add(id);
      peers.remove(id);
    } else {
      blackHoles.remove(id);
      peers.put(id, r);
    }
  }

  /** Delivers the messages and everything they cause until the network is quiet. */
  void send(Message... msgs) {
    ArrayDeque<Message> queue = new ArrayDeque<>(Arrays.asList(msgs));
    int bound = 100_000;
    while (!queue.isEmpty()) {
      if (--bound == 0) {
        throw new AssertionError("network did not quiesce");
      }
      Message m = queue.poll();
      Raft p = peers.get(m.getTo());
      if (p == null) {
        continue;
      }
      delivered.add(m);
      try {
        p.step(m);
      } catch (ProposalDroppedException e) {
        // as etcd's test network, a dropped proposal is not an error of the network
      }
      queue.addAll(filter(readMessages(p)));
    }
  }

  /** Steps a local message into a node and delivers what follows. */
  void hup(long id) {
    send(Messages.message(MessageType.MsgHup, id, id, 0).build());
  }

  void propose(long id, String data) {
    send(
        Messages.message(MessageType.MsgProp, id, id, 0)
            .addEntries(Messages.proposal(com.google.protobuf.ByteString.copyFromUtf8(data)))
            .build());
  }

  void drop(long from, long to, double perc) {
    dropm.put(from << 32 | to, perc);
  }

  void cut(long one, long other) {
    drop(one, other, 2.0);
    drop(other, one, 2.0);
  }

  void isolate(long id) {
    for (long other : allIds()) {
      if (other != id) {
        cut(id, other);
      }
    }
  }

  void ignore(MessageType t) {
    ignorem.add(t);
  }

  void recover() {
    dropm.clear();
    ignorem.clear();
  }

  private Set<Long> allIds() {
    Set<Long> ids = new HashSet<>(peers.keySet());
    ids.addAll(blackHoles);
    return ids;
  }

  private List<Message> filter(List<Message> msgs) {
    List<Message> out = new ArrayList<>();
    for (Message m : msgs) {
      if (ignorem.contains(m.getType())) {
        continue;
      }
      if (m.getType() == MessageType.MsgHup) {
        throw new AssertionError("unexpected MsgHup on the network");
      }
      Double perc = dropm.get(m.getFrom() << 32 | m.getTo());
      if (perc != null && rand.nextDouble() < perc) {
        continue;
      }
      out.add(m);
    }
    return out;
  }

  /**
   * Does for node {@code id} what an application does with a Ready: moves unstable entries into its
   * storage and marks everything committed as applied.
   */
  void persistAndApply(long id) {
    Raft r = peers.get(id);
    List<io.ordo.raft.pb.Entry> ents = r.raftLog.unstableEntries();
    if (!ents.isEmpty()) {
      storage.get(id).append(ents);
      var last = ents.get(ents.size() - 1);
      r.raftLog.stableTo(last.getIndex(), last.getTerm());
    }
    r.raftLog.appliedTo(r.raftLog.committed());
  }

  static List<Message> readMessages(Raft r) {
    List<Message> msgs = r.msgs;
    r.msgs = new ArrayList<>();
    return msgs;
  }
}
