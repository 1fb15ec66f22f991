package io.ordo.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** Inflights behaves like a plain deque of indexes, whatever the wrap-around of its ring. */
class InflightsProperties {

  enum Kind {
    ADD,
    FREE_LE,
    FREE_FIRST_ONE,
    RESET
  }

  /** {@code arg}: the step above the last added index for ADD, the offset below it for FREE_LE. */
  record Op(Kind kind, int arg) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Kind> kinds =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(Kind.ADD)),
            Tuple.of(3, Arbitraries.just(Kind.FREE_LE)),
            Tuple.of(2, Arbitraries.just(Kind.FREE_FIRST_ONE)),
            Tuple.of(1, Arbitraries.just(Kind.RESET)));
    Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 4)).as(Op::new);
    return op.list().ofMaxSize(80);
  }

  @Property(tries = 2000)
  void inflightsMatchADequeModel(
      @ForAll @IntRange(min = 0, max = 12) int capacity, @ForAll("ops") List<Op> ops) {
    Inflights inflights = new Inflights(capacity);
    ArrayDeque<Long> model = new ArrayDeque<>();
    long lastAdded = 0;
    for (Op op : ops) {
      switch (op.kind()) {
        case ADD -> {
          long index = lastAdded + op.arg();
          if (model.size() == capacity) {
            assertThatThrownBy(() -> inflights.add(index))
                .isInstanceOf(IllegalStateException.class);
          } else {
            inflights.add(index);
            model.addLast(index);
            lastAdded = index;
          }
        }
        case FREE_LE -> {
          long to = Math.max(0, lastAdded - op.arg());
          inflights.freeLE(to);
          freeLE(model, to);
        }
        case FREE_FIRST_ONE -> {
          inflights.freeFirstOne();
          if (!model.isEmpty()) {
            freeLE(model, model.peekFirst());
          }
        }
        case RESET -> {
          inflights.reset();
          model.clear();
        }
      }
      assertThat(inflights.toArray())
          .as("after %s", op)
          .containsExactly(model.stream().mapToLong(Long::longValue).toArray());
      assertThat(inflights.count()).isEqualTo(model.size());
      assertThat(inflights.full()).isEqualTo(model.size() == capacity);
    }
    assertThat(inflights.copy().toArray()).containsExactly(inflights.toArray());
  }

  private static void freeLE(ArrayDeque<Long> model, long to) {
    while (!model.isEmpty() && model.peekFirst() <= to) {
      model.removeFirst();
    }
  }
}
