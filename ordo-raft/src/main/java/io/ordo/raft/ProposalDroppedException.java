package io.ordo.raft;

/**
 * A proposal was not appended: there is no leader, a leadership transfer is in progress, this node
 * is a follower with forwarding disabled, the leader was removed, or the uncommitted log is full.
 * The caller may retry later, elsewhere.
 */
public final class ProposalDroppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProposalDroppedException(String reason) {
    super("raft proposal dropped: " + reason, null, false, false);
  }
}
