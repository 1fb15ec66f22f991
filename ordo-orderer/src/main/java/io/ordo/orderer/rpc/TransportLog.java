package io.ordo.orderer.rpc;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What grpc-java's Netty server transport logs on its own, through java.util.logging, about what a
 * peer sent. A message over General.MaxRecvMsgSize is refused by the transport before any service
 * sees it: the client is answered RESOURCE_EXHAUSTED, and grpc-java also logs "Exception processing
 * message" at WARNING with a stack trace, once per message, so that anyone reaching the client port
 * could fill the node's log with stack traces. Fabric's Go server logs nothing for it; neither does
 * the node, once {@link #quietDeframeFailures} has run.
 */
public final class TransportLog {
  /**
   * The logger grpc-java's server stream reports deframing failures to. Held here: the JDK keeps
   * loggers weakly, and a level set on one that is collected would be lost.
   */
  private static final Logger SERVER_STREAM =
      Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  private TransportLog() {}

  /** From now on, only SEVERE records of the server stream's logger are published. */
  public static void quietDeframeFailures() {
    SERVER_STREAM.setLevel(Level.SEVERE);
  }
}
