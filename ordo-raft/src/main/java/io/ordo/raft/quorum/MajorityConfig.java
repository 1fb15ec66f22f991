package io.ordo.raft.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of voters that decides by simple majority ({@code n/2 + 1} of {@code n}).
 *
 * <p>Ids are kept sorted and unique, which makes {@link #toString()} and equality independent of
 * the order the ids were given in.
 */
public final class MajorityConfig {
  private static final MajorityConfig EMPTY = new MajorityConfig(new long[0]);

  /** Below this size an insertion sort beats Arrays.sort and allocates nothing extra. */
  private static final int INSERTION_SORT_LIMIT = 16;

  private final long[] ids;
  private final Set<Long> idSet;

  private MajorityConfig(long[] sortedUniqueIds) {
    this.ids = sortedUniqueIds;
    TreeSet<Long> set = new TreeSet<>();
    for (long id : sortedUniqueIds) {
      set.add(id);
    }
    this.idSet = Collections.unmodifiableSortedSet(set);
  }

  /** A config of the given ids; duplicates collapse. */
  public static MajorityConfig of(long... ids) {
    if (ids.length == 0) {
      return EMPTY;
    }
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    int unique = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[unique++] = sorted[i];
      }
    }
    return new MajorityConfig(unique == sorted.length ? sorted : Arrays.copyOf(sorted, unique));
  }

  /** A config of the given ids; duplicates collapse, nulls are rejected. */
  public static MajorityConfig of(Collection<Long> ids) {
    long[] array = new long[ids.size()];
    int i = 0;
    for (Long id : ids) {
      array[i++] = Objects.requireNonNull(id, "voter id");
    }
    return of(array);
  }

  /** The config without voters. */
  public static MajorityConfig empty() {
    return EMPTY;
  }

  /** The voter ids in ascending order (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  /** The voter ids as an unmodifiable set iterating in ascending order. */
  public Set<Long> idSet() {
    return idSet;
  }

  public int size() {
    return ids.length;
  }

  public boolean isEmpty() {
    return ids.length == 0;
  }

  public boolean contains(long id) {
    return Arrays.binarySearch(ids, id) >= 0;
  }

  /**
   * The highest log index that a majority of the voters has acknowledged.
   *
   * <p>An empty config returns {@link Long#MAX_VALUE}: it places no constraint, so that the minimum
   * taken by a joint config is decided by its other half alone. This runs on every acknowledgement
   * the leader receives, so it sorts a primitive array and boxes nothing.
   */
  public long committedIndex(AckedIndexer acked) {
    int n = ids.length;
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    long[] indexes = new long[n];
    for (int i = 0; i < n; i++) {
      indexes[i] = acked.ackedIndex(ids[i]);
    }
    if (n <= INSERTION_SORT_LIMIT) {
      insertionSort(indexes);
    } else {
      Arrays.sort(indexes);
    }
    // In ascending order, the entry n/2+1 positions from the top is acked by exactly a quorum.
    return indexes[n - (n / 2 + 1)];
  }

  /**
   * Counts {@code votes} (true = granted) of this config's voters; votes of other nodes are ignored
   * and absent votes are pending. An empty config wins every vote, which keeps the joint rules
   * uniform when the outgoing half is empty.
   */
  public VoteResult voteResult(Map<Long, Boolean> votes) {
    if (ids.length == 0) {
      return VoteResult.WON;
    }
    int granted = 0;
    int missing = 0;
    for (long id : ids) {
      Boolean vote = votes.get(id);
      if (vote == null) {
        missing++;
      } else if (vote) {
        granted++;
      }
    }
    int quorum = ids.length / 2 + 1;
    if (granted >= quorum) {
      return VoteResult.WON;
    }
    if (granted + missing >= quorum) {
      return VoteResult.PENDING;
    }
    return VoteResult.LOST;
  }

  private static void insertionSort(long[] a) {
    for (int i = 1; i < a.length; i++) {
      long v = a[i];
      int j = i - 1;
      while (j >= 0 && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  /** Space-separated ascending ids in parentheses, e.g. {@code (1 2 3)}; {@code ()} when empty. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(ids[i]);
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MajorityConfig other && Arrays.equals(ids, other.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }
}
