package io.ordo.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MajorityConfigTest {

  private static AckedIndexer acked(Map<Long, Long> indexes) {
    return id -> indexes.getOrDefault(id, 0L);
  }

  @Test
  void committedIndexOfEmptyConfigPlacesNoConstraint() {
    assertThat(MajorityConfig.empty().committedIndex(id -> 5)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void committedIndexOfSingleVoterIsItsAckedIndex() {
    assertThat(MajorityConfig.of(7).committedIndex(acked(Map.of(7L, 12L)))).isEqualTo(12);
  }

  @Test
  void committedIndexIsHighestIndexAckedByMajorityOfOddConfig() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.committedIndex(acked(Map.of(1L, 10L, 2L, 30L, 3L, 20L)))).isEqualTo(20);
    MajorityConfig five = MajorityConfig.of(1, 2, 3, 4, 5);
    assertThat(five.committedIndex(acked(Map.of(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L))))
        .isEqualTo(3);
  }

  @Test
  void committedIndexOfEvenConfigNeedsMoreThanHalf() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3, 4);
    // 3 of 4 must have acked: 20 is acked by 2, 3, 4.
    assertThat(c.committedIndex(acked(Map.of(1L, 10L, 2L, 20L, 3L, 30L, 4L, 40L)))).isEqualTo(20);
    assertThat(MajorityConfig.of(1, 2).committedIndex(acked(Map.of(1L, 10L, 2L, 5L)))).isEqualTo(5);
  }

  @Test
  void committedIndexCountsUnknownVotersAsZero() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.committedIndex(acked(Map.of(1L, 10L)))).isZero();
    assertThat(c.committedIndex(acked(Map.of(1L, 10L, 2L, 8L)))).isEqualTo(8);
  }

  @Test
  void committedIndexOfLargeConfigUsesTheSameRule() {
    long[] ids = new long[21];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 1;
    }
    // voter i acked index i: 11 voters (11..21) acked 11 or more.
    assertThat(MajorityConfig.of(ids).committedIndex(id -> id)).isEqualTo(11);
  }

  @Test
  void voteOfEmptyConfigIsWon() {
    assertThat(MajorityConfig.empty().voteResult(Map.of())).isEqualTo(VoteResult.WON);
  }

  @Test
  void voteIsWonByMajorityOfGrants() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.voteResult(Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.WON);
    assertThat(c.voteResult(Map.of(1L, true, 2L, false, 3L, true))).isEqualTo(VoteResult.WON);
  }

  @Test
  void voteIsPendingWhileMissingVotesCouldStillWin() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.voteResult(Map.of())).isEqualTo(VoteResult.PENDING);
    assertThat(c.voteResult(Map.of(1L, true))).isEqualTo(VoteResult.PENDING);
    assertThat(c.voteResult(Map.of(1L, true, 2L, false))).isEqualTo(VoteResult.PENDING);
  }

  @Test
  void voteIsLostWhenMajorityRejects() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.voteResult(Map.of(1L, false, 2L, false))).isEqualTo(VoteResult.LOST);
  }

  @Test
  void voteOfEvenConfigIsLostOnATie() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3, 4);
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 3L, false, 4L, false)))
        .isEqualTo(VoteResult.LOST);
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 3L, false))).isEqualTo(VoteResult.PENDING);
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 3L, true))).isEqualTo(VoteResult.WON);
  }

  @Test
  void voteIgnoresNonMembers() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertThat(c.voteResult(Map.of(1L, true, 9L, true, 8L, true))).isEqualTo(VoteResult.PENDING);
    assertThat(c.voteResult(Map.of(1L, false, 2L, false, 9L, true))).isEqualTo(VoteResult.LOST);
  }

  @Test
  void idsAreSortedAndUnique() {
    MajorityConfig c = MajorityConfig.of(3, 1, 2, 3, 1);
    assertThat(c.ids()).containsExactly(1, 2, 3);
    assertThat(c.idSet()).containsExactly(1L, 2L, 3L);
    assertThat(c.size()).isEqualTo(3);
    assertThat(c).isEqualTo(MajorityConfig.of(List.of(2L, 3L, 1L)));
    assertThat(c.hashCode()).isEqualTo(MajorityConfig.of(1, 2, 3).hashCode());
    assertThat(c).isNotEqualTo(MajorityConfig.of(1, 2));
  }

  @Test
  void idsCannotBeChangedFromOutside() {
    MajorityConfig c = MajorityConfig.of(1, 2);
    c.ids()[0] = 9;
    assertThat(c.ids()).containsExactly(1, 2);
    assertThatThrownBy(() -> c.idSet().add(9L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void containsAndIsEmpty() {
    assertThat(MajorityConfig.of(1, 5).contains(5)).isTrue();
    assertThat(MajorityConfig.of(1, 5).contains(3)).isFalse();
    assertThat(MajorityConfig.empty().isEmpty()).isTrue();
    assertThat(MajorityConfig.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void printsLikeEtcd() {
    assertThat(MajorityConfig.of(3, 1, 2)).hasToString("(1 2 3)");
    assertThat(MajorityConfig.empty()).hasToString("()");
  }
}
