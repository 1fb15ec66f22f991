package io.ordo.raft;

/** The role of a raft node, in etcd's order (the ordinal is etcd's {@code StateType} value). */
public enum StateType {
  FOLLOWER("StateFollower"),
  CANDIDATE("StateCandidate"),
  LEADER("StateLeader"),
  PRE_CANDIDATE("StatePreCandidate");

  private final String etcdName;

  StateType(String etcdName) {
    this.etcdName = etcdName;
  }

  @Override
  public String toString() {
    return etcdName;
  }
}
