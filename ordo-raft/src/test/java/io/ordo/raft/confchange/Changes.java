package io.ordo.raft.confchange;

import io.ordo.raft.pb.ConfChangeSingle;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;

/** Test shorthand: {@code "v1 l2 r3 u4"} = add voter 1, add learner 2, remove 3, update 4. */
final class Changes {
  private Changes() {}

  static List<ConfChangeSingle> parse(String spec) {
    List<ConfChangeSingle> out = new ArrayList<>();
    for (String tok : spec.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      ConfChangeType type =
          switch (tok.charAt(0)) {
            case 'v' -> ConfChangeType.ConfChangeAddNode;
            case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
            case 'r' -> ConfChangeType.ConfChangeRemoveNode;
            case 'u' -> ConfChangeType.ConfChangeUpdateNode;
            default -> throw new IllegalArgumentException("unknown change " + tok);
          };
      out.add(
          ConfChangeSingle.newBuilder()
              .setType(type)
              .setNodeId(Long.parseLong(tok.substring(1)))
              .build());
    }
    return out;
  }

  /** Installs {@code result} into {@code tracker}, as raft does after a successful change. */
  static void install(ProgressTracker tracker, Changer.Result result) {
    tracker.config(result.config());
    tracker.progress(result.progress());
  }

  /** The config and one line per progress, as etcd's confchange tests print them. */
  static String render(Changer.Result result) {
    StringBuilder sb = new StringBuilder(result.config().toString());
    result.progress().forEach((id, pr) -> sb.append('\n').append(id).append(": ").append(pr));
    return sb.toString();
  }
}
