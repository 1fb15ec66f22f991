package io.ordo.raft.tracker;

import io.ordo.raft.quorum.VoteResult;

/**
 * The votes counted in an election.
 *
 * @param granted voters that granted their vote
 * @param rejected voters that refused it
 * @param result whether the election is won, lost or still open
 */
public record TallyResult(int granted, int rejected, VoteResult result) {}
