package io.ordo.cli.client;

import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.fabric.crypto.Ecdsa;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * One bounded Deliver request to one orderer, as {@code peer channel fetch} makes it: a signed
 * seek, the blocks handed over in order, and every way it can fail turned into one line naming the
 * orderer, the channel and what was asked.
 */
public final class BlockDelivery {
  private final OrdererTarget target;
  private final SignedEnvelopes envelopes;

  public BlockDelivery(OrdererTarget target) {
    this.target = target;
    this.envelopes =
        new SignedEnvelopes(
            ClientIdentity.signer(target, Ecdsa.preferred()),
            ClientIdentity.tlsCertificateDer(target),
            new SecureRandom());
  }

  /**
   * Sends {@code seek} to {@code endpoint} and hands each block to {@code blocks} (on gRPC's
   * thread) until the orderer says SUCCESS.
   *
   * @param what the blocks asked for, for messages ("blocks 0 to 9")
   * @return how many blocks were delivered
   * @throws CommandFailedException when the orderer cannot be reached, refuses, or does not finish
   *     within {@code timeout}; a listener's own {@link CommandFailedException} passes through
   */
  public long deliver(
      OrdererEndpoint endpoint,
      SeekInfo seek,
      String what,
      Duration timeout,
      Consumer<Block> blocks)
      throws InterruptedException {
    AtomicLong delivered = new AtomicLong();
    ManagedChannel channel = GrpcChannels.open(endpoint, GrpcChannels.tls(target));
    try (DeliverCall stream =
        DeliverCall.open(
            channel,
            envelopes.seek(target.channel(), seek, Instant.now()),
            b -> {
              blocks.accept(b);
              delivered.incrementAndGet();
            })) {
      Status status = stream.finished().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (status == Status.NOT_FOUND) {
        Optional<DeliverCall.Pruned> pruned = stream.pruned();
        if (pruned.isPresent()) {
          throw new BlocksPrunedException(
              "orderer "
                  + endpoint
                  + " refused "
                  + what
                  + " of channel "
                  + target.channel()
                  + ": NOT_FOUND ("
                  + pruned.get().info()
                  + ")",
              pruned.get().firstBlock());
        }
      }
      if (status != Status.SUCCESS) {
        throw new CommandFailedException(
            "orderer "
                + endpoint
                + " refused "
                + what
                + " of channel "
                + target.channel()
                + ": "
                + status.name());
      }
      return delivered.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CommandFailedException c) {
        throw c;
      }
      throw new CommandFailedException(
          "cannot fetch from " + endpoint + ": " + GrpcErrors.describe(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailedException(
          "orderer "
              + endpoint
              + " sent "
              + delivered.get()
              + " of "
              + what
              + " of channel "
              + target.channel()
              + " within "
              + timeout);
    } finally {
      GrpcChannels.close(channel);
    }
  }
}
