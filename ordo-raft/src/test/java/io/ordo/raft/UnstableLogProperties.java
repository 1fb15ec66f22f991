package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The unstable tail behaves like a model list of (index, term) after an offset, with an optional
 * snapshot below it: appends truncate what follows their first index, stableTo drops a persisted
 * prefix only when the persisted entry is still the one held, restore replaces everything.
 */
class UnstableLogProperties {

  enum Kind {
    APPEND,
    STABLE_TO,
    STABLE_SNAP_TO,
    RESTORE
  }

  /** {@code a}, {@code b}, {@code c}: choices interpreted against the current state. */
  record Op(Kind kind, int a, int b, int c) {}

  /** The model: terms of indexes offset, offset+1, ..., and a snapshot (index, term) or none. */
  private static final class Model {
    long offset;
    final List<Long> terms = new ArrayList<>();
    long snapIndex = -1;
    long snapTerm;

    Model(long offset) {
      this.offset = offset;
    }

    long last() {
      if (!terms.isEmpty()) {
        return offset + terms.size() - 1;
      }
      return snapIndex >= 0 ? snapIndex : -1;
    }

    long term(long i) {
      if (i >= offset && i < offset + terms.size()) {
        return terms.get((int) (i - offset));
      }
      return snapIndex >= 0 && i == snapIndex ? snapTerm : -1;
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    return Combinators.combine(kinds, small, small, small).as(Op::new).list().ofMaxSize(60);
  }

  @Property(tries = 1000)
  void unstableLogMatchesAListModel(@ForAll("ops") List<Op> ops) {
    UnstableLog log = new UnstableLog(5);
    Model model = new Model(5);
    for (Op op : ops) {
      switch (op.kind()) {
        case APPEND -> {
          long lowest = model.snapIndex >= 0 ? model.snapIndex + 1 : 1;
          long highest = model.offset + model.terms.size();
          long after = lowest + op.a() % (highest - lowest + 1);
          int n = 1 + op.b() % 3;
          long term = 1 + op.c() % 7;
          List<Entry> ents = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            ents.add(Messages.entry(term, after + i));
          }
          log.truncateAndAppend(ents);
          if (after <= model.offset) {
            model.offset = after;
            model.terms.clear();
          } else {
            model.terms.subList((int) (after - model.offset), model.terms.size()).clear();
          }
          for (int i = 0; i < n; i++) {
            model.terms.add(term);
          }
        }
        case STABLE_TO -> {
          long i = model.offset - 2 + op.a() % (model.terms.size() + 4);
          long held = model.term(i);
          long t = op.b() % 3 == 0 ? held + 1 : held;
          log.stableTo(i, t);
          // only an entry still held with the persisted term lets the prefix go
          if (held >= 0 && held == t && i >= model.offset) {
            model.terms.subList(0, (int) (i + 1 - model.offset)).clear();
            model.offset = i + 1;
          }
        }
        case STABLE_SNAP_TO -> {
          long i = model.snapIndex + op.a() % 2;
          log.stableSnapTo(i);
          if (model.snapIndex >= 0 && i == model.snapIndex) {
            model.snapIndex = -1;
          }
        }
        case RESTORE -> {
          long index = Math.max(1, model.offset - 1 + op.a() % 6);
          long term = 1 + op.b() % 7;
          log.restore(Messages.snapshot(null, Messages.EMPTY_CONF_STATE, index, term));
          model.offset = index + 1;
          model.terms.clear();
          model.snapIndex = index;
          model.snapTerm = term;
        }
      }
      assertMatches(log, model, op);
    }
  }

  private static void assertMatches(UnstableLog log, Model model, Op op) {
    assertThat(log.offset()).as("offset after %s", op).isEqualTo(model.offset);
    assertThat(log.maybeLastIndex()).as("last index after %s", op).isEqualTo(model.last());
    assertThat(log.maybeFirstIndex())
        .as("first index after %s", op)
        .isEqualTo(model.snapIndex >= 0 ? model.snapIndex + 1 : -1);
    for (long i = model.offset - 3; i <= model.offset + model.terms.size() + 2; i++) {
      assertThat(log.maybeTerm(i)).as("term(%d) after %s", i, op).isEqualTo(model.term(i));
    }
    List<Entry> ents = log.entries();
    assertThat(ents).hasSize(model.terms.size());
    for (int k = 0; k < ents.size(); k++) {
      assertThat(ents.get(k).getIndex()).isEqualTo(model.offset + k);
      assertThat(ents.get(k).getTerm()).isEqualTo(model.terms.get(k));
    }
    long hi = model.offset + model.terms.size();
    for (long lo = model.offset; lo <= hi; lo++) {
      assertThat(log.slice(lo, hi))
          .as("slice[%d,%d) after %s", lo, hi, op)
          .extracting(Entry::getIndex)
          .containsExactlyElementsOf(range(lo, hi));
    }
  }

  private static List<Long> range(long lo, long hi) {
    List<Long> out = new ArrayList<>();
    for (long i = lo; i < hi; i++) {
      out.add(i);
    }
    return out;
  }
}
