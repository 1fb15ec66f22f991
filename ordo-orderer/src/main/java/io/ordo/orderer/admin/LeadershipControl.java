package io.ordo.orderer.admin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the admin API's leadership routes ask of the node: who leads a channel, moving that
 * leadership to a named consenter, and draining the node of every leadership before maintenance.
 * Fabric has no such routes; they live beside its participation API under the same prefix.
 */
public interface LeadershipControl {
  /** A consenter of a channel: its raft ID there and its cluster endpoint (host:port). */
  record Consenter(long id, String endpoint) {}

  /**
   * Whether this node is drained, and the channels it leads now.
   *
   * @param drained whether it hands away every leadership it gets and asks for none
   * @param leading the channels it leads now, by name
   */
  record DrainState(boolean drained, List<String> leading) {}

  /**
   * The channel's consenters, in raft ID order.
   *
   * @throws LeadershipException NOT_FOUND for a channel this node has not, NOT_CONSENTER when it
   *     only follows the channel
   */
  List<Consenter> consenters(String channel);

  /** The leader this node sees on the channel, if any; throws as {@link #consenters}. */
  Optional<Consenter> leader(String channel);

  /**
   * Moves the channel's leadership to {@code to} and waits within {@code bound} until this node
   * sees it lead.
   *
   * @return the leader this node sees afterwards
   * @throws LeadershipException as {@link #consenters}; UNSETTLED when the channel has no leader
   *     now or the move did not happen within the bound
   */
  Consenter moveLeader(String channel, Consenter to, Duration bound);

  /** Drains the node, waiting within {@code bound} for its leaderships to move away. */
  DrainState drain(Duration bound);

  /** Ends a drain. */
  DrainState undrain();

  DrainState drainState();
}
