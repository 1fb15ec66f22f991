package io.ordo.fabric.configtx;

import io.ordo.fabric.channelconfig.RaftConsenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How an etcdraft consenter set changes, consenters being identified by the exact bytes of their
 * client TLS certificate as Fabric's membership.go does.
 */
public record MembershipChange(List<RaftConsenter> added, List<RaftConsenter> removed) {
  public MembershipChange {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  public static MembershipChange between(List<RaftConsenter> before, List<RaftConsenter> after) {
    List<RaftConsenter> added = new ArrayList<>();
    for (RaftConsenter c : after) {
      if (!containsClientCert(before, c)) {
        added.add(c);
      }
    }
    List<RaftConsenter> removed = new ArrayList<>();
    for (RaftConsenter c : before) {
      if (!containsClientCert(after, c)) {
        removed.add(c);
      }
    }
    return new MembershipChange(added, removed);
  }

  /** One consenter replaced by another: the new one takes the old one's raft ID. */
  public boolean isRotation() {
    return added.size() == 1 && removed.size() == 1;
  }

  /** Whether Fabric accepts it: at most one consenter added and at most one removed. */
  public boolean isSupported() {
    return added.size() <= 1 && removed.size() <= 1;
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }

  static boolean containsClientCert(List<RaftConsenter> set, RaftConsenter c) {
    for (RaftConsenter x : set) {
      if (Arrays.equals(x.clientTlsCert(), c.clientTlsCert())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "added " + endpoints(added) + ", removed " + endpoints(removed);
  }

  private static List<String> endpoints(List<RaftConsenter> cs) {
    return cs.stream().map(RaftConsenter::endpoint).toList();
  }
}
