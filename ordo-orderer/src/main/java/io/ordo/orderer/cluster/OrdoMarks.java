package io.ordo.orderer.cluster;

import com.google.protobuf.UnknownFieldSet;
import org.hyperledger.fabric.protos.orderer.ConsensusRequest;

/**
 * What an Ordo node adds to the consensus requests it sends, in a field that Fabric's
 * ConsensusRequest does not have: Fabric's orderer (protobuf keeps and ignores unknown fields)
 * never sees it, and an Ordo node learns from it that the sender is an Ordo node too. Flags, one
 * varint:
 *
 * <ul>
 *   <li>{@link #QUIESCES}: the sender quiesces idle channels (Consensus.QuietIdleChannels), so a
 *       leader may let a channel go quiet with it;
 *   <li>{@link #QUIESCE}: the raft heartbeat in the payload asks its follower to quiesce;
 *   <li>{@link #PAIR_HEARTBEAT}: no raft message: the one heartbeat per pair of nodes that keeps
 *       their quiet channels watched (sent only to Ordo nodes).
 * </ul>
 */
public final class OrdoMarks {
  /** Far above the three fields Fabric's ConsensusRequest has. */
  static final int FIELD = 1001;

  public static final long QUIESCES = 1;
  public static final long QUIESCE = 2;
  public static final long PAIR_HEARTBEAT = 4;

  private static final UnknownFieldSet[] SETS = new UnknownFieldSet[8];

  static {
    for (int flags = 0; flags < SETS.length; flags++) {
      SETS[flags] =
          flags == 0
              ? UnknownFieldSet.getDefaultInstance()
              : UnknownFieldSet.newBuilder()
                  .addField(FIELD, UnknownFieldSet.Field.newBuilder().addVarint(flags).build())
                  .build();
    }
  }

  private OrdoMarks() {}

  /** {@code request} with {@code flags} (a combination of the constants above) set. */
  public static ConsensusRequest.Builder mark(ConsensusRequest.Builder request, long flags) {
    if (flags == 0) {
      return request;
    }
    return request.setUnknownFields(SETS[(int) (flags & 7)]);
  }

  /** The flags of a received request; 0 for one from a Fabric orderer. */
  public static long flags(ConsensusRequest request) {
    UnknownFieldSet unknown = request.getUnknownFields();
    if (unknown.asMap().isEmpty()) {
      return 0;
    }
    UnknownFieldSet.Field f = unknown.getField(FIELD);
    return f == null || f.getVarintList().isEmpty() ? 0 : f.getVarintList().getLast();
  }
}
