package io.ordo.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Status;

/** Fabric's ClassifyError: the Broadcast status for a message processing failure. */
public final class BroadcastStatus {
  private BroadcastStatus() {}

  /**
   * NOT_FOUND, FORBIDDEN or SERVICE_UNAVAILABLE for the matching {@link MessageRejectedException}
   * found anywhere in the cause chain, BAD_REQUEST for everything else (REQUEST_ENTITY_TOO_LARGE is
   * never used, as in Fabric).
   */
  public static Status of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MessageRejectedException r) {
        return switch (r.reason()) {
          case CHANNEL_DOES_NOT_EXIST -> Status.NOT_FOUND;
          case PERMISSION_DENIED -> Status.FORBIDDEN;
          case MAINTENANCE_MODE -> Status.SERVICE_UNAVAILABLE;
          case BAD_REQUEST -> Status.BAD_REQUEST;
        };
      }
    }
    return Status.BAD_REQUEST;
  }
}
