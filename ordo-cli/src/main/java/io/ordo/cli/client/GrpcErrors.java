package io.ordo.cli.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ordo.cli.MessageText;

/** gRPC failures as one line a user can act on. */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** {@code "UNAVAILABLE: io exception (Connection refused: /127.0.0.1:1)"} and the like. */
  public static String describe(Throwable t) {
    Throwable e =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    if (e instanceof StatusRuntimeException sre) {
      Status s = sre.getStatus();
      StringBuilder b = new StringBuilder(s.getCode().name());
      if (s.getDescription() != null) {
        b.append(": ").append(MessageText.oneLine(s.getDescription()));
      }
      Throwable cause = s.getCause();
      while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      if (cause != null && cause.getMessage() != null) {
        b.append(" (").append(MessageText.oneLine(cause.getMessage())).append(")");
      }
      return b.toString();
    }
    return e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + MessageText.oneLine(e.getMessage()));
  }
}
