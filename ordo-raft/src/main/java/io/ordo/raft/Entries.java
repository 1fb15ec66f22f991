package io.ordo.raft;

import io.ordo.raft.pb.Entry;
import java.util.List;

/** Helpers over lists of entries. */
public final class Entries {
  /** No limit on the size of an entry batch. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  private Entries() {}

  /**
   * The longest prefix of {@code ents} whose total proto size is at most {@code maxSize}, but
   * always at least one entry (etcd's {@code limitSize}).
   */
  public static List<Entry> limitSize(List<Entry> ents, long maxSize) {
    if (ents.isEmpty() || maxSize == NO_LIMIT) {
      return ents;
    }
    long size = Messages.entrySize(ents.get(0));
    int limit = 1;
    for (; limit < ents.size(); limit++) {
      size += Messages.entrySize(ents.get(limit));
      if (size > maxSize) {
        break;
      }
    }
    return limit == ents.size() ? ents : ents.subList(0, limit);
  }

  /** Sum of the payload sizes, as etcd's {@code payloadsSize} counts uncommitted entries. */
  public static long payloadSize(List<Entry> ents) {
    long s = 0;
    for (Entry e : ents) {
      s += e.getData().size();
    }
    return s;
  }
}
