package io.ordo.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Majority and joint quorums agree with a naive counting reference. */
class QuorumProperties {

  /** Ids from a small range, so configs, acks and votes overlap often; up to 25 voters. */
  @Provide
  Arbitrary<Set<Long>> voters() {
    return Arbitraries.longs().between(1, 30).set().ofMaxSize(25);
  }

  @Provide
  Arbitrary<Map<Long, Long>> acked() {
    return Arbitraries.maps(Arbitraries.longs().between(1, 30), Arbitraries.longs().between(0, 50))
        .ofMaxSize(30);
  }

  @Provide
  Arbitrary<Map<Long, Boolean>> votes() {
    return Arbitraries.maps(Arbitraries.longs().between(1, 30), Arbitraries.of(true, false))
        .ofMaxSize(30);
  }

  private static AckedIndexer indexer(Map<Long, Long> acked) {
    return id -> acked.getOrDefault(id, 0L);
  }

  @Property(tries = 2000)
  void majorityCommittedIndexMatchesReference(
      @ForAll("voters") Set<Long> voters, @ForAll("acked") Map<Long, Long> acked) {
    assertThat(MajorityConfig.of(voters).committedIndex(indexer(acked)))
        .isEqualTo(QuorumReference.committed(voters, acked));
  }

  @Property(tries = 2000)
  void majorityVoteMatchesReference(
      @ForAll("voters") Set<Long> voters, @ForAll("votes") Map<Long, Boolean> votes) {
    assertThat(MajorityConfig.of(voters).voteResult(votes))
        .isEqualTo(QuorumReference.vote(voters, votes));
  }

  @Property(tries = 2000)
  void jointCommittedIndexIsTheLowerOfBothReferences(
      @ForAll("voters") Set<Long> incoming,
      @ForAll("voters") Set<Long> outgoing,
      @ForAll("acked") Map<Long, Long> acked) {
    JointConfig c = new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
    assertThat(c.committedIndex(indexer(acked)))
        .isEqualTo(
            Math.min(
                QuorumReference.committed(incoming, acked),
                QuorumReference.committed(outgoing, acked)));
  }

  @Property(tries = 2000)
  void jointVoteNeedsBothReferencesToWinAndLosesWithEither(
      @ForAll("voters") Set<Long> incoming,
      @ForAll("voters") Set<Long> outgoing,
      @ForAll("votes") Map<Long, Boolean> votes) {
    VoteResult in = QuorumReference.vote(incoming, votes);
    VoteResult out = QuorumReference.vote(outgoing, votes);
    VoteResult expected;
    if (in == VoteResult.WON && out == VoteResult.WON) {
      expected = VoteResult.WON;
    } else if (in == VoteResult.LOST || out == VoteResult.LOST) {
      expected = VoteResult.LOST;
    } else {
      expected = VoteResult.PENDING;
    }
    JointConfig c = new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
    assertThat(c.voteResult(votes)).isEqualTo(expected);
  }
}
