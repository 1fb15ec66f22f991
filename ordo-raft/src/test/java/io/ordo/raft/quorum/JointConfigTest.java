package io.ordo.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JointConfigTest {

  private static final Map<Long, Long> ACKED = Map.of(1L, 10L, 2L, 20L, 3L, 30L, 4L, 40L, 5L, 5L);

  private static long committed(JointConfig c) {
    return c.committedIndex(id -> ACKED.getOrDefault(id, 0L));
  }

  @Test
  void committedIndexOfNonJointConfigIsThatOfIncoming() {
    JointConfig c = JointConfig.of(MajorityConfig.of(1, 2, 3));
    assertThat(committed(c)).isEqualTo(20);
    assertThat(committed(JointConfig.of(MajorityConfig.empty()))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void committedIndexOfJointConfigIsMinimumOfBothHalves() {
    JointConfig c = new JointConfig(MajorityConfig.of(2, 3, 4), MajorityConfig.of(1, 2, 5));
    // incoming commits 30, outgoing commits 10.
    assertThat(committed(c)).isEqualTo(10);
    JointConfig reversed = new JointConfig(MajorityConfig.of(1, 2, 5), MajorityConfig.of(2, 3, 4));
    assertThat(committed(reversed)).isEqualTo(10);
  }

  @Test
  void voteOfNonJointConfigIsThatOfIncoming() {
    JointConfig c = JointConfig.of(MajorityConfig.of(1, 2, 3));
    assertThat(c.voteResult(Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.WON);
    assertThat(c.voteResult(Map.of(1L, false, 2L, false))).isEqualTo(VoteResult.LOST);
    assertThat(c.voteResult(Map.of(1L, true))).isEqualTo(VoteResult.PENDING);
  }

  @Test
  void voteIsWonOnlyWhenBothHalvesWin() {
    JointConfig c = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 4L, true, 5L, true)))
        .isEqualTo(VoteResult.WON);
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 4L, true))).isEqualTo(VoteResult.PENDING);
  }

  @Test
  void voteIsLostWhenEitherHalfLoses() {
    JointConfig c = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
    assertThat(c.voteResult(Map.of(1L, true, 2L, true, 4L, false, 5L, false)))
        .isEqualTo(VoteResult.LOST);
    assertThat(c.voteResult(Map.of(1L, false, 2L, false, 4L, true))).isEqualTo(VoteResult.LOST);
  }

  @Test
  void voteIsPendingWhenBothHalvesArePending() {
    JointConfig c = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
    assertThat(c.voteResult(Map.of(3L, true))).isEqualTo(VoteResult.PENDING);
  }

  @Test
  void idsAreTheSortedUnionOfBothHalves() {
    JointConfig c = new JointConfig(MajorityConfig.of(5, 1), MajorityConfig.of(3, 1));
    assertThat(c.ids()).containsExactly(1L, 3L, 5L);
    assertThat(c.isJoint()).isTrue();
    assertThat(JointConfig.of(MajorityConfig.of(1)).isJoint()).isFalse();
  }

  @Test
  void printsLikeEtcd() {
    assertThat(new JointConfig(MajorityConfig.of(1, 2), MajorityConfig.of(1)))
        .hasToString("(1 2)&&(1)");
    assertThat(JointConfig.of(MajorityConfig.of(1, 2))).hasToString("(1 2)");
  }

  @Test
  void equalityComparesBothHalves() {
    JointConfig a = new JointConfig(MajorityConfig.of(1, 2), MajorityConfig.of(1));
    assertThat(a).isEqualTo(new JointConfig(MajorityConfig.of(2, 1), MajorityConfig.of(1)));
    assertThat(a.hashCode())
        .isEqualTo(new JointConfig(MajorityConfig.of(2, 1), MajorityConfig.of(1)).hashCode());
    assertThat(a).isNotEqualTo(new JointConfig(MajorityConfig.of(1), MajorityConfig.of(1, 2)));
  }
}
