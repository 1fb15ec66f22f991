package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * The raft log (storage + unstable tail) behaves like one model list of terms with commit and apply
 * cursors, whatever is persisted, compacted or restored from a snapshot underneath: append,
 * maybeAppend, commitTo, appliedTo, stableTo, restore, term, slice, findConflict, isUpToDate.
 */
class RaftLogProperties {

  enum Kind {
    APPEND,
    MAYBE_APPEND,
    COMMIT,
    APPLY,
    PERSIST,
    COMPACT,
    RESTORE
  }

  /** {@code a}, {@code b}, {@code c}: choices interpreted against the current state. */
  record Op(Kind kind, int a, int b, int c) {}

  /** The model: {@code terms.get(k)} is the term of index {@code first - 1 + k} (k=0: dummy). */
  private static final class Model {
    long first = 1;
    final List<Long> terms = new ArrayList<>(List.of(0L));
    long committed;
    long applied;

    long last() {
      return first - 2 + terms.size();
    }

    long lastTerm() {
      return terms.get(terms.size() - 1);
    }

    /** The term at {@code i}, 0 outside [first-1, last] (as raft answers). */
    long term(long i) {
      if (i < first - 1 || i > last()) {
        return 0;
      }
      return terms.get((int) (i - first + 1));
    }

    void truncateAfter(long index) {
      terms.subList((int) (index - first + 2), terms.size()).clear();
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Kind> kinds = Arbitraries.of(Kind.class);
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    return Combinators.combine(kinds, small, small, small).as(Op::new).list().ofMaxSize(60);
  }

  @Property(tries = 1000)
  void raftLogMatchesAListModel(@ForAll("ops") List<Op> ops) {
    MemoryStorage storage = new MemoryStorage();
    RaftLog log = new RaftLog(storage, Entries.NO_LIMIT);
    Model model = new Model();
    for (Op op : ops) {
      switch (op.kind()) {
        case APPEND -> {
          long after = model.committed + op.a() % (model.last() - model.committed + 1);
          if (after < model.first - 1) {
            break;
          }
          int n = 1 + op.b() % 3;
          long term = Math.max(1, model.term(after) + op.c() % 3);
          List<Entry> ents = entries(after + 1, n, term);
          assertThat(log.append(ents)).isEqualTo(after + n);
          model.truncateAfter(after);
          for (int i = 0; i < n; i++) {
            model.terms.add(term);
          }
        }
        case MAYBE_APPEND -> maybeAppend(log, model, op);
        case COMMIT -> {
          long to = model.committed + op.a() % (model.last() - model.committed + 1);
          log.commitTo(to);
          model.committed = to;
        }
        case APPLY -> {
          long lowest = Math.max(model.applied, model.first - 1);
          if (lowest <= model.committed) {
            long to = lowest + op.a() % (model.committed - lowest + 1);
            log.appliedTo(to);
            model.applied = Math.max(model.applied, to);
          }
        }
        case PERSIST -> persist(storage, log);
        case COMPACT -> {
          persist(storage, log);
          long hi = Math.min(model.applied, storage.lastIndex());
          long lo = storage.firstIndex();
          if (lo <= hi) {
            long at = lo + op.a() % (hi - lo + 1);
            storage.compact(at);
            model.terms.subList(0, (int) (at - model.first + 1)).clear();
            model.first = at + 1;
          }
        }
        case RESTORE -> {
          long index = model.committed + 1 + op.a() % 4;
          long term = Math.max(1, model.lastTerm() + op.b() % 2);
          log.restore(Messages.snapshot(null, Messages.EMPTY_CONF_STATE, index, term));
          model.first = index + 1;
          model.terms.clear();
          model.terms.add(term);
          model.committed = index;
        }
      }
      assertMatches(log, model, op);
    }
  }

  private static void maybeAppend(RaftLog log, Model model, Op op) {
    // from the dummy entry to one past the end: a leader sends a snapshot for compacted indexes
    long index = model.first - 1 + op.a() % (model.last() - model.first + 3);
    long named = op.c() % 4 == 0 ? model.term(index) + 1 : model.term(index);
    // a leader names a real entry: only index 0 has term 0 (raft reads term 0 past the end too)
    long logTerm = index > 0 ? Math.max(1, named) : named;
    int n = op.b() % 4;
    int kept = n == 0 ? 0 : op.c() % (n + 1);
    long newTerm = Math.max(model.lastTerm(), logTerm) + 1;
    List<Entry> ents = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      long i = index + 1 + j;
      boolean held = j < kept && i <= model.last();
      ents.add(Messages.entry(held ? model.term(i) : newTerm, i));
    }
    long commit = op.a() % (index + n + 3);
    boolean matches =
        index >= model.first - 1 && index <= model.last() && model.term(index) == logTerm;
    if (!matches) {
      assertThat(log.maybeAppend(index, logTerm, commit, ents)).as("%s", op).isEqualTo(-1);
      return;
    }
    long conflict = 0;
    for (Entry e : ents) {
      if (model.term(e.getIndex()) != e.getTerm() || e.getIndex() > model.last()) {
        conflict = e.getIndex();
        break;
      }
    }
    if (conflict != 0 && conflict <= model.committed) {
      assertThatThrownBy(() -> log.maybeAppend(index, logTerm, commit, ents))
          .isInstanceOf(IllegalStateException.class);
      return;
    }
    long lastNew = index + n;
    assertThat(log.maybeAppend(index, logTerm, commit, ents)).as("%s", op).isEqualTo(lastNew);
    if (conflict != 0) {
      model.truncateAfter(conflict - 1);
      for (Entry e : ents) {
        if (e.getIndex() >= conflict) {
          model.terms.add(e.getTerm());
        }
      }
    }
    model.committed = Math.max(model.committed, Math.min(commit, lastNew));
  }

  /** What the application does with a Ready: persist the snapshot and the unstable entries. */
  private static void persist(MemoryStorage storage, RaftLog log) {
    if (log.hasPendingSnapshot()) {
      var snap = log.unstable().snapshot();
      storage.applySnapshot(snap);
      log.stableSnapTo(snap.getMetadata().getIndex());
    }
    List<Entry> ents = log.unstableEntries();
    if (!ents.isEmpty()) {
      storage.append(ents);
      Entry last = ents.get(ents.size() - 1);
      log.stableTo(last.getIndex(), last.getTerm());
    }
  }

  private static void assertMatches(RaftLog log, Model model, Op op) {
    assertThat(log.firstIndex()).as("first index after %s", op).isEqualTo(model.first);
    assertThat(log.lastIndex()).as("last index after %s", op).isEqualTo(model.last());
    assertThat(log.lastTerm()).as("last term after %s", op).isEqualTo(model.lastTerm());
    assertThat(log.committed()).as("committed after %s", op).isEqualTo(model.committed);
    assertThat(log.applied()).as("applied after %s", op).isEqualTo(model.applied);
    for (long i = model.first - 3; i <= model.last() + 2; i++) {
      assertThat(log.term(Math.max(0, i)))
          .as("term(%d) after %s", i, op)
          .isEqualTo(model.term(Math.max(0, i)));
    }
    for (long lo = model.first; lo <= model.last() + 1; lo++) {
      List<Entry> slice = log.slice(lo, model.last() + 1, Entries.NO_LIMIT);
      assertThat(slice).as("slice from %d after %s", lo, op).hasSize((int) (model.last() + 1 - lo));
      for (Entry e : slice) {
        assertThat(e.getTerm()).isEqualTo(model.term(e.getIndex()));
      }
    }
    long nextLo = Math.max(model.applied + 1, model.first);
    assertThat(log.nextEnts())
        .as("entries to apply after %s", op)
        .extracting(Entry::getIndex)
        .containsExactlyElementsOf(range(nextLo, model.committed + 1));
    // findConflict: the log's own tail has none; one changed term is found where it was changed
    if (model.last() >= model.first) {
      List<Entry> own = log.slice(model.first, model.last() + 1, Entries.NO_LIMIT);
      assertThat(log.findConflict(own)).isZero();
      int k = op.c() % own.size();
      List<Entry> changed = new ArrayList<>(own);
      Entry e = own.get(k);
      changed.set(k, Messages.entry(e.getTerm() + 1, e.getIndex()));
      assertThat(log.findConflict(changed)).isEqualTo(e.getIndex());
      assertThat(log.findConflict(entries(model.last() + 1, 1, model.lastTerm())))
          .isEqualTo(model.last() + 1);
    }
    long lt = model.lastTerm();
    long li = model.last();
    assertThat(log.isUpToDate(li, lt)).isTrue();
    assertThat(log.isUpToDate(li - 1, lt)).isFalse();
    assertThat(log.isUpToDate(0, lt + 1)).isTrue();
  }

  private static List<Entry> entries(long from, int n, long term) {
    List<Entry> ents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ents.add(Messages.entry(term, from + i));
    }
    return ents;
  }

  private static List<Long> range(long lo, long hi) {
    List<Long> out = new ArrayList<>();
    for (long i = lo; i < hi; i++) {
      out.add(i);
    }
    return out;
  }
}
