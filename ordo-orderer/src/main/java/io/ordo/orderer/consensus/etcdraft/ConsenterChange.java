package io.ordo.orderer.consensus.etcdraft;

import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;

/**
 * What a config block does to a channel's consenter set (Fabric's {@code
 * etcdraft.ComputeMembershipChanges}, orderer/consensus/etcdraft/membership.go): consenters are
 * matched by the exact bytes of their client TLS certificate; a kept consenter keeps its raft ID,
 * an added one takes next_consenter_id, one added with one removed is a certificate rotation (the
 * new certificate takes the old raft ID, no raft conf change).
 *
 * @param consenters raft ID to consenter after the block
 * @param metadata the etcdraft BlockMetadata after the block (raft_index left as it was)
 * @param confChange the raft conf change to propose, if a consenter was added or removed
 * @param rotated the raft ID whose certificates were replaced, if any
 */
public record ConsenterChange(
    Map<Long, RaftConsenter> consenters,
    BlockMetadata metadata,
    Optional<ConfChange> confChange,
    OptionalLong rotated) {
  public ConsenterChange {
    consenters = java.util.Collections.unmodifiableMap(new TreeMap<>(consenters));
  }

  /**
   * @param current raft ID to consenter before the block
   * @param metadata the BlockMetadata before the block
   * @param next the consenters of the new config, in config order
   * @throws IllegalArgumentException when more than one consenter is added or removed (the config
   *     validation refuses such updates before they are ordered)
   */
  public static ConsenterChange compute(
      Map<Long, RaftConsenter> current, BlockMetadata metadata, List<RaftConsenter> next) {
    List<Long> removed = new ArrayList<>();
    current.forEach(
        (id, c) -> {
          if (indexOf(next, c) < 0) {
            removed.add(id);
          }
        });
    List<Integer> added = new ArrayList<>();
    for (int i = 0; i < next.size(); i++) {
      if (idOf(current, next.get(i)).isEmpty()) {
        added.add(i);
      }
    }
    if (added.size() > 1 || removed.size() > 1) {
      throw new IllegalArgumentException(
          "update of more than one consenter at a time is not supported: "
              + added.size()
              + " added, "
              + removed.size()
              + " removed");
    }
    long nextId = metadata.getNextConsenterId();
    Optional<ConfChange> confChange = Optional.empty();
    OptionalLong rotated = OptionalLong.empty();
    List<Long> ids = new ArrayList<>();
    Map<Long, RaftConsenter> byId = new TreeMap<>();
    for (int i = 0; i < next.size(); i++) {
      RaftConsenter c = next.get(i);
      long id;
      if (!added.contains(i)) {
        id = idOf(current, c).orElseThrow();
      } else if (!removed.isEmpty()) {
        id = removed.getFirst();
        rotated = OptionalLong.of(id);
      } else {
        id = nextId++;
        confChange = Optional.of(confChange(ConfChangeType.ConfChangeAddNode, id));
      }
      ids.add(id);
      byId.put(id, c);
    }
    if (added.isEmpty() && !removed.isEmpty()) {
      confChange = Optional.of(confChange(ConfChangeType.ConfChangeRemoveNode, removed.getFirst()));
    }
    BlockMetadata after =
        metadata.toBuilder()
            .clearConsenterIds()
            .addAllConsenterIds(ids)
            .setNextConsenterId(nextId)
            .build();
    return new ConsenterChange(byId, after, confChange, rotated);
  }

  /** Whether the consenter set changed at all (added, removed or rotated). */
  public boolean changed(Map<Long, RaftConsenter> before) {
    if (!before.keySet().equals(consenters.keySet())) {
      return true;
    }
    return before.entrySet().stream()
        .anyMatch(
            e -> {
              RaftConsenter after = consenters.get(e.getKey());
              return !Arrays.equals(e.getValue().clientTlsCert(), after.clientTlsCert())
                  || !Arrays.equals(e.getValue().serverTlsCert(), after.serverTlsCert())
                  || !e.getValue().endpoint().equals(after.endpoint());
            });
  }

  /**
   * Fabric's UnacceptableQuorumLoss: whether, with only {@code active} consenters alive, the new
   * set would have fewer live members than its quorum (an addition or rotation is judged only when
   * the new set could tolerate a fault at all).
   */
  public boolean unacceptableQuorumLoss(List<Long> active) {
    java.util.Set<Long> alive = new java.util.HashSet<>(active);
    boolean tolerant = consenters.size() > 2;
    int quorum = consenters.size() / 2 + 1;
    if (confChange.isPresent() && confChange.get().getType() == ConfChangeType.ConfChangeAddNode) {
      return tolerant && alive.size() < quorum;
    }
    if (rotated.isPresent()) {
      alive.remove(rotated.getAsLong());
      return tolerant && alive.size() < quorum;
    }
    if (confChange.isPresent()) {
      alive.remove(confChange.get().getNodeId());
      return alive.size() < quorum;
    }
    return false;
  }

  /** The conf change that would bring raft's voters to {@code ids}, if they differ by one. */
  static Optional<ConfChange> toReach(List<Long> voters, List<Long> ids) {
    for (long id : ids) {
      if (!voters.contains(id)) {
        return Optional.of(confChange(ConfChangeType.ConfChangeAddNode, id));
      }
    }
    for (long id : voters) {
      if (!ids.contains(id)) {
        return Optional.of(confChange(ConfChangeType.ConfChangeRemoveNode, id));
      }
    }
    return Optional.empty();
  }

  static ConfChange confChange(ConfChangeType type, long id) {
    return ConfChange.newBuilder().setType(type).setNodeId(id).build();
  }

  /** Raft ID to consenter: {@code ids[i]} is the ID of {@code consenters[i]}. */
  public static Map<Long, RaftConsenter> byId(List<RaftConsenter> consenters, List<Long> ids) {
    if (consenters.size() != ids.size()) {
      throw new IllegalArgumentException(
          ids.size() + " consenter IDs for " + consenters.size() + " consenters");
    }
    Map<Long, RaftConsenter> out = new TreeMap<>();
    for (int i = 0; i < consenters.size(); i++) {
      out.put(ids.get(i), consenters.get(i));
    }
    return out;
  }

  private static int indexOf(List<RaftConsenter> set, RaftConsenter c) {
    for (int i = 0; i < set.size(); i++) {
      if (Arrays.equals(set.get(i).clientTlsCert(), c.clientTlsCert())) {
        return i;
      }
    }
    return -1;
  }

  private static OptionalLong idOf(Map<Long, RaftConsenter> current, RaftConsenter c) {
    return current.entrySet().stream()
        .filter(e -> Arrays.equals(e.getValue().clientTlsCert(), c.clientTlsCert()))
        .mapToLong(Map.Entry::getKey)
        .findFirst();
  }
}
