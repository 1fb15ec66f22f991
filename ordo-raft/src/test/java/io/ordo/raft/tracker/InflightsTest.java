package io.ordo.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InflightsTest {

  private static Inflights withIndexes(int capacity, long... indexes) {
    Inflights in = new Inflights(capacity);
    for (long i : indexes) {
      in.add(i);
    }
    return in;
  }

  @Test
  void addRecordsIndexesOldestFirstUntilFull() {
    Inflights in = new Inflights(3);
    assertThat(in.full()).isFalse();
    in.add(1);
    in.add(2);
    assertThat(in.full()).isFalse();
    in.add(3);
    assertThat(in.full()).isTrue();
    assertThat(in.count()).isEqualTo(3);
    assertThat(in.toArray()).containsExactly(1, 2, 3);
  }

  @Test
  void addIntoFullWindowIsRefused() {
    Inflights in = withIndexes(2, 1, 2);
    assertThatThrownBy(() -> in.add(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("full");
    assertThat(in.toArray()).containsExactly(1, 2);
  }

  @Test
  void zeroCapacityWindowIsAlwaysFull() {
    Inflights in = new Inflights(0);
    assertThat(in.full()).isTrue();
    assertThatThrownBy(() -> in.add(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void freeLeFreesEveryIndexUpToTheGivenOne() {
    Inflights in = withIndexes(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    in.freeLE(4);
    assertThat(in.toArray()).containsExactly(5, 6, 7, 8, 9, 10);
    in.freeLE(8);
    assertThat(in.toArray()).containsExactly(9, 10);
    in.freeLE(100);
    assertThat(in.count()).isZero();
  }

  @Test
  void freeLeBelowTheOldestIndexFreesNothing() {
    Inflights in = withIndexes(4, 5, 6);
    in.freeLE(4);
    assertThat(in.toArray()).containsExactly(5, 6);
    new Inflights(4).freeLE(10); // empty: nothing to do, no failure
  }

  @Test
  void freeLeStopsAtTheFirstIndexAboveIt() {
    Inflights in = withIndexes(5, 2, 4, 6, 8);
    in.freeLE(5);
    assertThat(in.toArray()).containsExactly(6, 8);
  }

  @Test
  void freeFirstOneFreesTheOldest() {
    Inflights in = withIndexes(4, 3, 5, 7);
    in.freeFirstOne();
    assertThat(in.toArray()).containsExactly(5, 7);
    in.freeFirstOne();
    in.freeFirstOne();
    assertThat(in.count()).isZero();
    in.freeFirstOne(); // empty: nothing to do
    assertThat(in.count()).isZero();
  }

  @Test
  void windowWrapsAroundTheRingBuffer() {
    Inflights in = withIndexes(4, 1, 2, 3, 4);
    in.freeLE(2);
    in.add(5);
    in.add(6);
    assertThat(in.full()).isTrue();
    assertThat(in.toArray()).containsExactly(3, 4, 5, 6);
    in.freeLE(5);
    assertThat(in.toArray()).containsExactly(6);
    in.add(7);
    in.add(8);
    in.add(9);
    assertThat(in.toArray()).containsExactly(6, 7, 8, 9);
    in.freeLE(9);
    assertThat(in.count()).isZero();
  }

  @Test
  void resetForgetsEverything() {
    Inflights in = withIndexes(3, 1, 2, 3);
    in.reset();
    assertThat(in.count()).isZero();
    assertThat(in.full()).isFalse();
    in.add(10);
    assertThat(in.toArray()).containsExactly(10);
  }

  @Test
  void copyIsIndependent() {
    Inflights in = withIndexes(3, 1, 2);
    Inflights copy = in.copy();
    in.add(3);
    copy.freeLE(1);
    assertThat(in.toArray()).containsExactly(1, 2, 3);
    assertThat(copy.toArray()).containsExactly(2);
    assertThat(copy.capacity()).isEqualTo(3);
  }
}
