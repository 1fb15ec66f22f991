package io.ordo.orderer.rpc;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * General.MaxSendMsgSize on a listener: grpc-java's servers have no bound on the messages they
 * send, Go's have ({@code grpc.MaxSendMsgSize}). A response over it is not sent; as in Go, the send
 * fails with RESOURCE_EXHAUSTED "trying to send message larger than max (N vs. M)", and the call
 * ends with that status, so a Deliver of a block bigger than the bound ends as it does on Fabric's
 * orderer. The handler sees the failure as a {@link StatusRuntimeException} from its send; what it
 * sends or closes afterwards is dropped.
 */
public final class MaxSendMessageSize implements ServerInterceptor {
  private final int maxBytes;

  /**
   * @param maxBytes the largest serialized response sent
   */
  public MaxSendMessageSize(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return next.startCall(new Bounded<>(call), headers);
  }

  private final class Bounded<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
    private volatile boolean refused;

    Bounded(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public void sendMessage(RespT message) {
      if (refused) {
        return;
      }
      // every service of Ordo's listeners answers with protobuf messages
      int size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
      if (size > maxBytes) {
        refused = true;
        Status status =
            Status.RESOURCE_EXHAUSTED.withDescription(
                "trying to send message larger than max (" + size + " vs. " + maxBytes + ")");
        super.close(status, new Metadata());
        throw status.asRuntimeException();
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!refused) {
        super.close(status, trailers);
      }
    }
  }
}
