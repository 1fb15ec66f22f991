package io.ordo.orderer.replication;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.ordo.fabric.block.BlockVerificationException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.envelope.Envelopes;
import io.ordo.orderer.ops.ChannelLog;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a channel's blocks from other orderers over Deliver (Fabric's {@code cluster.BlockPuller}):
 * asks every endpoint for its newest block to learn heights, streams the range from the highest
 * one, verifies each block through a {@link PulledChain} before handing it on, and on a timeout, a
 * refusal, a broken stream or a block that fails verification moves to the next endpoint, resuming
 * at the first block not yet handed on. After {@code maxRetries} rounds without progress it gives
 * up with a {@link BlockPullException}. {@link #close()} aborts a pull in progress.
 */
public final class BlockPuller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockPuller.class);

  /** Most blocks handed on at once: whatever is buffered, up to this many. */
  private static final int MAX_BATCH = 512;

  private final String channel;
  private final PullerIdentity identity;
  private final PullerSettings settings;
  private final SecureRandom random;
  private final ByteString tlsCertHash;
  private final CountDownLatch closed = new CountDownLatch(1);

  public BlockPuller(
      String channel, PullerIdentity identity, PullerSettings settings, SecureRandom random) {
    this.channel = channel;
    this.identity = identity;
    this.settings = settings;
    this.random = random;
    try {
      this.tlsCertHash = ByteString.copyFrom(Hashes.sha256(identity.tls().leaf().getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the cluster client certificate does not encode", e);
    }
  }

  public String channel() {
    return channel;
  }

  /**
   * Pulls blocks {@code chain.next()} to {@code to} from the orderers of {@code source} and hands
   * the verified blocks to {@code sink} in order, in runs of consecutive blocks (what was buffered
   * at the time), so that the sink can write each run with one sync.
   *
   * @param source the config naming the endpoints and their TLS CAs
   * @throws BlockPullException when no endpoint supplies the next block within the retries
   * @throws IllegalStateException when the puller was closed
   */
  public void pull(PulledChain chain, long to, ChannelConfig source, Consumer<List<Block>> sink) {
    List<String> endpoints = OrdererEndpoints.of(source);
    SslContext tls = tls(source);
    int fruitlessRounds = 0;
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    long first = chain.next();
    while (chain.next() <= to) {
      checkOpen();
      long before = chain.next();
      failures.clear();
      List<String> candidates = byHeight(endpoints, tls, before, failures);
      for (String endpoint : candidates) {
        try {
          stream(endpoint, tls, chain, to, sink);
          break;
        } catch (DeliverSession.SourceFailure | BlockVerificationException e) {
          failures.add(e.getMessage());
          ChannelLog.of(log, channel)
              .warn(
                  "pulling block [{}] from {} failed, trying another orderer: {}",
                  chain.next(),
                  endpoint,
                  e.getMessage());
        }
      }
      if (chain.next() > to) {
        break;
      }
      if (chain.next() > before) {
        fruitlessRounds = 0;
        continue;
      }
      if (++fruitlessRounds > settings.maxRetries()) {
        throw new BlockPullException(
            channel,
            chain.next(),
            "channel "
                + channel
                + ": cannot pull block ["
                + chain.next()
                + "] from "
                + endpoints
                + " after "
                + fruitlessRounds
                + " rounds: "
                + String.join("; ", failures));
      }
      waitBeforeRetry();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ChannelLog.of(log, channel)
        .info("pulled blocks [{}..{}] in {} s", first, to, String.format("%.2f", seconds));
  }

  /**
   * The newest block each reachable endpoint of {@code source} holds (unverified: for heights and
   * the last config index only).
   */
  public Map<String, Block> newestBlocks(ChannelConfig source) {
    SslContext tls = tls(source);
    Map<String, Block> out = new LinkedHashMap<>();
    for (String endpoint : OrdererEndpoints.of(source)) {
      newest(endpoint, tls).ifPresent(b -> out.put(endpoint, b));
    }
    return out;
  }

  /**
   * Block {@code number} as the first endpoint of {@code source} holding it sends it, unverified:
   * the caller checks it against what it trusts.
   */
  public Optional<Block> block(long number, ChannelConfig source) {
    SslContext tls = tls(source);
    for (String endpoint : OrdererEndpoints.of(source)) {
      Optional<Block> newest = newest(endpoint, tls);
      if (newest.isEmpty() || newest.get().getHeader().getNumber() < number) {
        continue;
      }
      try (DeliverSession s =
          DeliverSession.open(
              endpoint, tls, settings, seek(specified(number), specified(number)))) {
        Block b = s.next(settings.pullTimeout());
        if (b != null && b.getHeader().getNumber() == number) {
          return Optional.of(b);
        }
      } catch (DeliverSession.SourceFailure | RuntimeException e) {
        ChannelLog.of(log, channel)
            .debug("{} did not send block [{}]: {}", endpoint, number, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted fetching block [" + number + "]", e);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the orderers of {@code source} hold block {@code number}: for each endpoint that tells
   * its height, true when it sends the block, false when it answers NOT_FOUND (an orderer that
   * prunes its ledger, or that onboarded from a later config block, no longer has it). Endpoints
   * that do not answer, or fail otherwise, are left out.
   */
  public Map<String, Boolean> holding(long number, ChannelConfig source) {
    SslContext tls = tls(source);
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String endpoint : OrdererEndpoints.of(source)) {
      Optional<Block> newest = newest(endpoint, tls);
      if (newest.isEmpty() || newest.get().getHeader().getNumber() < number) {
        continue;
      }
      try (DeliverSession s =
          DeliverSession.open(
              endpoint, tls, settings, seek(specified(number), specified(number)))) {
        Block b = s.next(settings.pullTimeout());
        if (b != null && b.getHeader().getNumber() == number) {
          out.put(endpoint, true);
        }
      } catch (DeliverSession.SourceFailure e) {
        if (e.status() == org.hyperledger.fabric.protos.common.Status.NOT_FOUND) {
          ChannelLog.of(log, channel)
              .info("{} does not hold block [{}]: {}", endpoint, number, e.getMessage());
          out.put(endpoint, false);
        }
      } catch (RuntimeException e) {
        ChannelLog.of(log, channel)
            .debug("{} did not send block [{}]: {}", endpoint, number, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted asking for block [" + number + "]", e);
      }
    }
    return out;
  }

  /** Endpoints with blocks at or beyond {@code next}, highest first. */
  private List<String> byHeight(
      List<String> endpoints, SslContext tls, long next, List<String> failures) {
    Map<String, Long> heights = new LinkedHashMap<>();
    for (String endpoint : endpoints) {
      Optional<Block> newest = newest(endpoint, tls);
      if (newest.isEmpty()) {
        failures.add(endpoint + " did not answer its height");
        continue;
      }
      long height = newest.get().getHeader().getNumber() + 1;
      if (height > next) {
        heights.put(endpoint, height);
      } else {
        failures.add(endpoint + " has height " + height);
      }
    }
    return heights.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .map(Map.Entry::getKey)
        .toList();
  }

  private Optional<Block> newest(String endpoint, SslContext tls) {
    SeekPosition newest =
        SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();
    try (DeliverSession s = DeliverSession.open(endpoint, tls, settings, seek(newest, newest))) {
      return Optional.ofNullable(s.next(settings.pullTimeout()));
    } catch (DeliverSession.SourceFailure | RuntimeException e) {
      ChannelLog.of(log, channel).debug("{} did not tell its height: {}", endpoint, e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + endpoint + " for its height", e);
    }
  }

  private void stream(
      String endpoint, SslContext tls, PulledChain chain, long to, Consumer<List<Block>> sink)
      throws DeliverSession.SourceFailure {
    long from = chain.next();
    try (DeliverSession s =
        DeliverSession.open(endpoint, tls, settings, seek(specified(from), specified(to)))) {
      while (chain.next() <= to) {
        checkOpen();
        Block b = s.next(settings.pullTimeout());
        if (b == null) {
          throw new DeliverSession.SourceFailure(
              endpoint + " ended the stream before block [" + chain.next() + "]", null);
        }
        List<Block> run = new ArrayList<>();
        try {
          do {
            chain.verify(b);
            run.add(b);
          } while (run.size() < MAX_BATCH && chain.next() <= to && (b = s.poll()) != null);
        } catch (BlockVerificationException e) {
          if (!run.isEmpty()) {
            sink.accept(run);
          }
          throw new BlockVerificationException(
              e.check(),
              e.blockNumber(),
              "channel " + channel + ", from " + endpoint + ": " + e.getMessage(),
              e);
        }
        sink.accept(run);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "channel " + channel + ": interrupted pulling block [" + chain.next() + "]", e);
    } catch (IllegalArgumentException e) {
      throw new DeliverSession.SourceFailure(e.getMessage(), e);
    }
  }

  private Envelope seek(SeekPosition start, SeekPosition stop) {
    SeekInfo info =
        SeekInfo.newBuilder()
            .setStart(start)
            .setStop(stop)
            .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
            .setErrorResponse(SeekInfo.SeekErrorResponse.BEST_EFFORT)
            .build();
    Instant now = Instant.now();
    ChannelHeader header =
        ChannelHeader.newBuilder()
            .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
            .setChannelId(channel)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .setTlsCertHash(tlsCertHash)
            .build();
    byte[] nonce = new byte[Envelopes.NONCE_BYTES];
    random.nextBytes(nonce);
    SignatureHeader signature =
        SignatureHeader.newBuilder()
            .setCreator(ByteString.copyFrom(identity.signer().serializedIdentity()))
            .setNonce(ByteString.copyFrom(nonce))
            .build();
    return Envelopes.signed(header, signature, info.toByteString(), identity.signer());
  }

  private static SeekPosition specified(long n) {
    return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(n)).build();
  }

  private SslContext tls(ChannelConfig source) {
    List<X509Certificate> roots = new ArrayList<>(OrdererEndpoints.tlsRoots(source));
    roots.addAll(identity.staticRoots());
    try {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .keyManager(
                  identity.tls().privateKey(),
                  identity.tls().chain().toArray(new X509Certificate[0]))
              .trustManager(roots.toArray(new X509Certificate[0]))
              .protocols("TLSv1.3", "TLSv1.2");
      return GrpcSslContexts.configure(b, SslProvider.JDK).build();
    } catch (SSLException e) {
      throw new IllegalStateException(
          "channel " + channel + ": cannot build the block puller's TLS context", e);
    }
  }

  private void checkOpen() {
    if (closed.getCount() == 0) {
      throw new IllegalStateException("block puller of channel " + channel + " is closed");
    }
  }

  /** Waits ReplicationRetryTimeout, or less when the puller is closed meanwhile. */
  private void waitBeforeRetry() {
    try {
      closed.await(settings.retryTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("channel " + channel + ": interrupted between retries", e);
    }
    checkOpen();
  }

  @Override
  public void close() {
    closed.countDown();
  }
}
