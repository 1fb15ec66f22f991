package io.ordo.raft;

import io.ordo.raft.pb.HardState;
import io.ordo.raft.tracker.TrackerConfig;
import java.util.Map;

/**
 * A node's state for monitoring (etcd raft's {@code Status}); {@code progress} is filled only on a
 * leader.
 */
public record Status(
    long id,
    HardState hardState,
    SoftState softState,
    long applied,
    long leadTransferee,
    TrackerConfig config,
    Map<Long, ProgressStatus> progress) {

  public long term() {
    return hardState.getTerm();
  }

  public long commit() {
    return hardState.getCommit();
  }

  public long lead() {
    return softState.lead();
  }

  public StateType raftState() {
    return softState.raftState();
  }
}
