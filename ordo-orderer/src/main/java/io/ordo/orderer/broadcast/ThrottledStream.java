package io.ordo.orderer.broadcast;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * What a throttled client sends, passed on to its {@link BroadcastStream} in arrival order once
 * {@link Throttling} lets each through, as Fabric's throttled stream counts each receive before
 * handing it over (its end of stream included). The waiting is done on a virtual thread, so a
 * slowed client holds no gRPC or pool thread; what waits is bounded by the stream's flow control,
 * which asks for more only as envelopes are answered.
 */
final class ThrottledStream implements StreamObserver<Envelope> {
  private final BroadcastStream target;
  private final Throttling throttling;
  private final Throttling.Keys keys;
  private final Executor waiter;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean passing = new AtomicBoolean();
  private volatile boolean gone;

  ThrottledStream(
      BroadcastStream target, Throttling throttling, Throttling.Keys keys, Executor waiter) {
    this.target = target;
    this.throttling = throttling;
    this.keys = keys;
    this.waiter = waiter;
  }

  @Override
  public void onNext(Envelope envelope) {
    pass(() -> target.onNext(envelope));
  }

  /** Bytes that are not an Envelope: counted as Fabric counts a failed receive, then answered. */
  void malformed(String why) {
    pass(() -> target.malformed(why));
  }

  @Override
  public void onCompleted() {
    pass(target::onCompleted);
  }

  @Override
  public void onError(Throwable t) {
    gone = true; // the client is gone: nothing held back is worth passing on
    queue.clear();
    target.onError(t);
  }

  private void pass(Runnable step) {
    queue.add(step);
    if (passing.compareAndSet(false, true)) {
      try {
        waiter.execute(this::passQueued);
      } catch (RejectedExecutionException e) {
        passing.set(false); // shutting down: the stream is cancelled with the server
      }
    }
  }

  private void passQueued() {
    do {
      Runnable step;
      while ((step = queue.poll()) != null) {
        if (gone) {
          continue;
        }
        try {
          throttling.limit(keys);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return; // the node is stopping
        }
        step.run();
      }
      passing.set(false);
    } while (!queue.isEmpty() && passing.compareAndSet(false, true));
  }
}
