package io.ordo.cli.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.envelope.EnvelopeChecks;
import io.ordo.fabric.envelope.EnvelopeParser;
import io.ordo.fabric.envelope.ParsedEnvelope;
import io.ordo.fabric.msp.Identity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.peer.Transaction;

/**
 * A loopback TLS orderer for the client commands' tests. Broadcast checks each envelope as an
 * orderer would (it parses, its signature verifies against its creator's certificate, its tx id
 * follows Fabric's rule, its data is a {@code peer.Transaction}), answers SUCCESS, or the refusal
 * the test asks for (then ends the stream, as Fabric does), and cuts the accepted envelopes into
 * blocks of {@code blockSize}, or every 20 ms. Deliver checks the signed seek and streams the
 * blocks, waiting for new ones.
 *
 * <p>For the audit of {@code bench --acked-report} it can also misbehave: lose envelopes it
 * answered SUCCESS, order some twice, share its ledger with a second server (two nodes of one
 * chain), and die mid-run.
 */
public final class FakeOrderer implements AutoCloseable {
  private static final Ecdsa ECDSA = new Ecdsa(CryptoProvider.jdk());

  private final Predicate<String> refuseTxId;
  private final Predicate<String> loseTxId;
  private final Predicate<String> orderTwiceTxId;
  private final Ledger ledger;
  private final boolean ownsLedger;
  private final Server server;
  private final String address;
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final List<String> rejections = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Envelope> seeks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong received =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile long dieAfter = Long.MAX_VALUE;
  private volatile boolean dead;

  /**
   * @param refuseTxId the tx ids answered SERVICE_UNAVAILABLE
   */
  public FakeOrderer(TestMaterial material, int blockSize, Predicate<String> refuseTxId)
      throws IOException {
    this(
        material, new Ledger(blockSize, List.of(plainGenesis())), true, refuseTxId, none(), none());
  }

  /** An orderer whose chain is {@code chain} (from block 0), as if it had ordered it. */
  public static FakeOrderer serving(TestMaterial material, List<Block> chain) throws IOException {
    return new FakeOrderer(material, new Ledger(100, chain), true, none(), none(), none());
  }

  /**
   * An orderer that answers SUCCESS to every well-formed envelope, yet never orders those of {@code
   * lose} and orders those of {@code orderTwice} twice.
   */
  public static FakeOrderer lying(
      TestMaterial material, int blockSize, Predicate<String> lose, Predicate<String> orderTwice)
      throws IOException {
    return new FakeOrderer(
        material, new Ledger(blockSize, List.of(plainGenesis())), true, none(), lose, orderTwice);
  }

  /** A second server of this orderer's ledger: another node of the same chain. */
  public FakeOrderer sibling(TestMaterial material) throws IOException {
    return new FakeOrderer(material, ledger, false, refuseTxId, loseTxId, orderTwiceTxId);
  }

  private static Predicate<String> none() {
    return txId -> false;
  }

  private FakeOrderer(
      TestMaterial material,
      Ledger ledger,
      boolean ownsLedger,
      Predicate<String> refuseTxId,
      Predicate<String> loseTxId,
      Predicate<String> orderTwiceTxId)
      throws IOException {
    this.refuseTxId = refuseTxId;
    this.loseTxId = loseTxId;
    this.orderTwiceTxId = orderTwiceTxId;
    this.ledger = ledger;
    this.ownsLedger = ownsLedger;
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(
                GrpcSslContexts.configure(
                        SslContextBuilder.forServer(
                            material.serverCert().toFile(), material.serverKey().toFile()),
                        SslProvider.JDK)
                    .build())
            .addService(new Service())
            .build()
            .start();
    address = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  /**
   * Makes the server die on the {@code n}th Broadcast envelope it receives from now on, as a killed
   * node: that envelope is ordered but not answered, none after it is ordered, and the server stops
   * at once, breaking every stream and refusing new connections.
   */
  public void dieAfter(long n) {
    dieAfter = received.get() + n;
  }

  public boolean dead() {
    return dead;
  }

  /** Broadcast envelopes received by this server. */
  public long received() {
    return received.get();
  }

  private static Block plainGenesis() {
    BlockData genesisData =
        BlockData.newBuilder().addData(ByteString.copyFromUtf8("genesis")).build();
    return Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(0)
                .setDataHash(ByteString.copyFrom(BlockHashing.dataHash(genesisData))))
        .setData(genesisData)
        .setMetadata(Blocks.emptyMetadata())
        .build();
  }

  /** The blocks, the envelopes waiting for one, and the cutting, of one chain. */
  private static final class Ledger {
    final Object lock = new Object();
    final int blockSize;
    final List<Block> blocks = new ArrayList<>();
    final List<ByteString> pending = new ArrayList<>();
    final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
    final BlockCreator creator;

    Ledger(int blockSize, List<Block> chain) {
      this.blockSize = blockSize;
      blocks.addAll(chain);
      creator = new BlockCreator(chain.getLast().getHeader());
      cutter.scheduleAtFixedRate(this::cutPending, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** Adds an envelope to the next block; the caller holds the lock. */
    void order(ByteString envelope) {
      pending.add(envelope);
      if (pending.size() >= blockSize) {
        cut();
      }
    }

    private void cutPending() {
      synchronized (lock) {
        if (!pending.isEmpty()) {
          cut();
        }
      }
    }

    private void cut() {
      blocks.add(creator.createNext(List.copyOf(pending)));
      pending.clear();
      lock.notifyAll();
    }
  }

  public String address() {
    return address;
  }

  /** Appends a block of {@code envelopes} now, as if ordered. */
  public Block appendBlock(List<ByteString> envelopes) {
    synchronized (ledger.lock) {
      Block b = ledger.creator.createNext(envelopes);
      ledger.blocks.add(b);
      ledger.lock.notifyAll();
      return b;
    }
  }

  public List<Block> blocks() {
    synchronized (ledger.lock) {
      return List.copyOf(ledger.blocks);
    }
  }

  /** Tx ids answered SERVICE_UNAVAILABLE. */
  public Set<String> refused() {
    return Set.copyOf(refused);
  }

  /** Why envelopes were answered BAD_REQUEST; empty when every one was well-formed. */
  public List<String> rejections() {
    return List.copyOf(rejections);
  }

  public List<Envelope> seeks() {
    return List.copyOf(seeks);
  }

  private static ParsedEnvelope checkSigned(Envelope e, HeaderType type) {
    ParsedEnvelope p = new EnvelopeParser(100 << 20).parse(e);
    if (p.headerType() != type) {
      throw new IllegalArgumentException("header type " + p.headerType() + ", not " + type);
    }
    SerializedIdentity creator;
    try {
      creator = SerializedIdentity.parseFrom(p.signatureHeader().getCreator());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalArgumentException("creator is not a SerializedIdentity", ex);
    }
    Identity id =
        new Identity(creator.getMspid(), Pem.certificate(creator.getIdBytes().toByteArray()));
    ECDSA.verify(
        id.certificate().getPublicKey(),
        e.getPayload().toByteArray(),
        e.getSignature().toByteArray());
    return p;
  }

  private final class Service extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> out) {
      return new StreamObserver<>() {
        private boolean ended;

        @Override
        public void onNext(Envelope e) {
          if (ended) {
            return; // Fabric stops reading a stream after a refusal
          }
          Status status = Status.SUCCESS;
          String txId = "";
          try {
            ParsedEnvelope p = checkSigned(e, HeaderType.ENDORSER_TRANSACTION);
            EnvelopeChecks.checkTxId(p);
            Transaction.parseFrom(p.payload().getData());
            txId = p.channelHeader().getTxId();
            if (refuseTxId.test(txId)) {
              refused.add(txId);
              status = Status.SERVICE_UNAVAILABLE;
            }
          } catch (RuntimeException | InvalidProtocolBufferException ex) {
            rejections.add(String.valueOf(ex.getMessage()));
            status = Status.BAD_REQUEST;
          }
          synchronized (ledger.lock) {
            if (dead) {
              ended = true;
              return; // killed: nothing more is ordered or answered
            }
            if (status == Status.SUCCESS && !loseTxId.test(txId)) {
              ledger.order(e.toByteString());
              if (orderTwiceTxId.test(txId)) {
                ledger.order(e.toByteString());
              }
            }
            if (received.incrementAndGet() == dieAfter) {
              dead = true;
              ended = true;
              Thread.ofPlatform().start(server::shutdownNow);
              return; // ordered, never answered
            }
          }
          out.onNext(BroadcastResponse.newBuilder().setStatus(status).build());
          if (status != Status.SUCCESS) {
            ended = true;
            out.onCompleted();
          }
        }

        @Override
        public void onError(Throwable t) {
          ended = true;
        }

        @Override
        public void onCompleted() {
          if (!ended) {
            ended = true;
            out.onCompleted();
          }
        }
      };
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> out) {
      ServerCallStreamObserver<DeliverResponse> call =
          (ServerCallStreamObserver<DeliverResponse>) out;
      return new StreamObserver<>() {
        @Override
        public void onNext(Envelope e) {
          seeks.add(e);
          SeekInfo seek;
          try {
            seek =
                SeekInfo.parseFrom(
                    checkSigned(e, HeaderType.DELIVER_SEEK_INFO).payload().getData());
          } catch (RuntimeException | InvalidProtocolBufferException ex) {
            call.onNext(DeliverResponse.newBuilder().setStatus(Status.BAD_REQUEST).build());
            call.onCompleted();
            return;
          }
          Thread.ofVirtual().start(() -> serve(seek, call));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }

    private void serve(SeekInfo seek, ServerCallStreamObserver<DeliverResponse> call) {
      long next = start(seek.getStart());
      long stop =
          switch (seek.getStop().getTypeCase()) {
            case SPECIFIED -> seek.getStop().getSpecified().getNumber();
            case NEWEST -> start(seek.getStop());
            default -> next;
          };
      try {
        while (next <= stop && !call.isCancelled()) {
          Block b;
          synchronized (ledger.lock) {
            while (ledger.blocks.size() <= next && !call.isCancelled()) {
              ledger.lock.wait(100);
            }
            if (call.isCancelled()) {
              return;
            }
            b = ledger.blocks.get((int) next);
          }
          synchronized (call) {
            call.onNext(DeliverResponse.newBuilder().setBlock(b).build());
          }
          next++;
        }
        call.onNext(DeliverResponse.newBuilder().setStatus(Status.SUCCESS).build());
        call.onCompleted();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException ex) {
        // the client went away
      }
    }

    private long start(SeekPosition p) {
      synchronized (ledger.lock) {
        return switch (p.getTypeCase()) {
          case OLDEST -> 0;
          case SPECIFIED -> p.getSpecified().getNumber();
          default -> ledger.blocks.size() - 1;
        };
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (ownsLedger) {
      ledger.cutter.shutdownNow();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
