package io.ordo.cli.config;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.MessageText;
import io.ordo.cli.Style;
import io.ordo.cli.client.ClientIdentity;
import io.ordo.cli.client.DeliverCall;
import io.ordo.cli.client.GrpcChannels;
import io.ordo.cli.client.OrdererEndpoint;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.cli.client.SignedEnvelopes;
import io.ordo.cli.client.SingleBroadcast;
import io.ordo.fabric.block.ConfigBlocks;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.channelconfig.ConfigException;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.configtx.ConfigSignatures;
import io.ordo.fabric.configtx.ConfigUpdateEnvelopes;
import io.ordo.fabric.configtx.ConfigUpdateException;
import io.ordo.fabric.configtx.ConfigUpdateValidator;
import io.ordo.fabric.configtx.ConfigUpdates;
import io.ordo.fabric.configtx.EtcdRaftUpdateRules;
import io.ordo.fabric.configtx.MembershipChange;
import io.ordo.fabric.configtx.PolicyShortfall;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Fabric's six-step recipe as one flow: the current config read over Deliver, the update computed
 * as configtxlator does, a short diff, the checks the orderer will make (and a few it cannot: a new
 * consenter that does not answer, a removal that leaves too few consenters answering), the admins'
 * signatures, the submission, and the config block it leads to. Every refusal is one line, and
 * nothing is submitted after one.
 */
final class ConfigUpdateFlow {
  private static final Duration REACH_TIMEOUT = Duration.ofSeconds(3);

  /** The pause before a Deliver stream that ended is opened again. */
  private static final Duration REDELIVER_PAUSE = Duration.ofMillis(250);

  private final OrdererTarget target;
  private final UpdateOptions options;
  private final Optional<Path> network;
  private final PrintWriter out;
  private final Style style;
  private final SecureRandom random = new SecureRandom();
  private final ChannelConfigLoader loader = new ChannelConfigLoader(Ecdsa.preferred());

  ConfigUpdateFlow(
      OrdererTarget target,
      UpdateOptions options,
      Optional<Path> network,
      PrintWriter out,
      Style style) {
    this.target = target;
    this.options = options;
    this.network = network;
    this.out = out;
    this.style = style;
  }

  CurrentConfig read() throws InterruptedException {
    return new ConfigReader(target, options.timeout).read();
  }

  /** Takes the channel from {@code current} to {@code updated}: checks, signs, submits, waits. */
  int change(CurrentConfig current, Config updated) throws InterruptedException {
    ConfigUpdate update =
        ConfigUpdates.compute(target.channel(), current.config(), updated)
            .orElseThrow(
                () ->
                    new CommandFailedException(
                        "nothing to change: channel "
                            + target.channel()
                            + " already has this config (sequence "
                            + current.sequence()
                            + ")"));
    out.println(
        "channel "
            + target.channel()
            + ", config block "
            + current.blockNumber()
            + " (sequence "
            + current.sequence()
            + "):");
    new ConfigDiff().lines(current.config(), updated).forEach(l -> out.println("  " + l));
    out.flush();
    ChannelConfig next = loadNext(current, updated);
    checkConsenters(current.loaded(), next);
    List<LocalSigningIdentity> signers = signers(current.loaded());
    Envelope envelope = ConfigUpdateEnvelopes.unsigned(update);
    for (LocalSigningIdentity s : signers) {
      envelope = ConfigUpdateEnvelopes.addSignature(envelope, s, random);
    }
    if (options.output != null) {
      return write(envelope, current);
    }
    return submit(envelope, Optional.of(current.sequence()));
  }

  private int write(Envelope envelope, CurrentConfig current) {
    try {
      Files.write(options.output, envelope.toByteArray());
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write " + options.output + ": " + MessageText.oneLine(e.getMessage()), e);
    }
    ConfigUpdateEnvelope cue = ConfigUpdateEnvelopes.updateEnvelope(envelope);
    out.println(
        style.ok("wrote " + options.output)
            + " (unsubmitted update of channel "
            + target.channel()
            + " from sequence "
            + current.sequence()
            + ", "
            + cue.getSignaturesCount()
            + " signature"
            + (cue.getSignaturesCount() == 1 ? "" : "s")
            + ")");
    PolicyShortfall.explain(
            current.loaded(),
            ConfigUpdateEnvelopes.update(envelope),
            ConfigSignatures.signedData(cue))
        .ifPresentOrElse(
            why -> out.println("still needed before 'ordo config submit': " + why),
            () -> out.println("its signatures satisfy the policies: 'ordo config submit' it"));
    out.flush();
    return 0;
  }

  /**
   * Submits a CONFIG_UPDATE envelope (its config signatures as they are) after checking it against
   * the channel's config as it is now.
   *
   * @param baseSequence the sequence of the config the update was computed from, when known
   */
  int submit(Envelope envelope, Optional<Long> baseSequence) throws InterruptedException {
    ConfigUpdate update = ConfigUpdateEnvelopes.update(envelope);
    if (!update.getChannelId().equals(target.channel())) {
      throw new CommandFailedException(
          "the update is for channel '"
              + update.getChannelId()
              + "', not '"
              + target.channel()
              + "': nothing submitted");
    }
    CurrentConfig fresh = read();
    if (baseSequence.isPresent() && fresh.sequence() != baseSequence.get()) {
      throw new CommandFailedException(
          "the config of channel "
              + target.channel()
              + " changed since it was read (sequence "
              + baseSequence.get()
              + ", now "
              + fresh.sequence()
              + " in block "
              + fresh.blockNumber()
              + "): nothing submitted; run the command again");
    }
    ConfigUpdateEnvelope cue = ConfigUpdateEnvelopes.updateEnvelope(envelope);
    Optional<String> missing =
        PolicyShortfall.explain(fresh.loaded(), update, ConfigSignatures.signedData(cue));
    if (missing.isPresent()) {
      throw new CommandFailedException(
          "not enough signatures: " + missing.get() + ": nothing submitted");
    }
    LocalSigningIdentity submitter = ClientIdentity.signer(target, Ecdsa.preferred());
    Instant now = Instant.now();
    Envelope signed = ConfigUpdateEnvelopes.forSubmission(envelope, submitter, random, now);
    try {
      new ConfigUpdateValidator(target.channel(), fresh.loaded(), loader).propose(signed, now);
    } catch (ConfigUpdateException e) {
      throw new CommandFailedException(refusal(e, fresh), e);
    }
    return broadcastAndWait(signed, fresh);
  }

  private static String refusal(ConfigUpdateException e, CurrentConfig fresh) {
    return switch (e.reason()) {
      case STALE_READ_SET, BAD_VERSION ->
          "the update was computed from another config than the channel's current one (sequence "
              + fresh.sequence()
              + "): "
              + MessageText.oneLine(e.getMessage())
              + ": nothing submitted; compute it again";
      default ->
          "the orderer would refuse this update: "
              + MessageText.oneLine(e.getMessage())
              + ": nothing submitted";
    };
  }

  private ChannelConfig loadNext(CurrentConfig current, Config updated) {
    try {
      return loader.load(updated.toBuilder().setSequence(current.sequence() + 1).build());
    } catch (ConfigException | IllegalArgumentException e) {
      throw new CommandFailedException(
          "the changed config is not valid: "
              + MessageText.oneLine(e.getMessage())
              + ": nothing submitted",
          e);
    }
  }

  private void checkConsenters(ChannelConfig current, ChannelConfig next) {
    if (current.orderer().etcdRaft().isEmpty() || next.orderer().etcdRaft().isEmpty()) {
      return;
    }
    List<RaftConsenter> before = current.orderer().etcdRaft().get().consenters();
    List<RaftConsenter> after = next.orderer().etcdRaft().get().consenters();
    MembershipChange change = MembershipChange.between(before, after);
    if (change.isEmpty()) {
      return;
    }
    boolean rotation =
        change.isRotation()
            && change.added().getFirst().endpoint().equals(change.removed().getFirst().endpoint());
    if (change.added().size() + change.removed().size() > 1 && !rotation) {
      throw new CommandFailedException(
          "two consenter changes at once ("
              + change
              + "): etcdraft takes one consenter added or removed per config update; nothing"
              + " submitted");
    }
    try {
      EtcdRaftUpdateRules.check(current, next, Instant.now());
    } catch (ConfigUpdateException e) {
      throw new CommandFailedException(
          "the consenter change would be refused: "
              + MessageText.oneLine(e.getMessage())
              + ": nothing submitted",
          e);
    }
    if (options.noReachCheck) {
      return;
    }
    TlsReach reach = new TlsReach(REACH_TIMEOUT);
    if (!rotation) {
      for (RaftConsenter added : change.added()) {
        reach
            .problem(added.host(), added.port())
            .ifPresent(
                why -> {
                  throw new CommandFailedException(
                      "the new consenter "
                          + added.endpoint()
                          + " cannot be reached: "
                          + why
                          + "; start it first (it joins the channel after this update), or give"
                          + " --no-reach-check: nothing submitted");
                });
      }
    }
    checkQuorum(change, after, reach, rotation);
  }

  /**
   * Fabric's etcdraft refuses a membership change that loses quorum while nodes are down; the
   * orderer counts its active nodes, the client counts the consenters of the new set whose cluster
   * endpoint answers (an added one was checked just before). Stricter than Fabric's rule, which
   * lets a set of two lose quorum: an operator gains nothing from a channel that stops.
   */
  private void checkQuorum(
      MembershipChange change, List<RaftConsenter> after, TlsReach reach, boolean rotation) {
    if (rotation) {
      return;
    }
    int size = after.size();
    int quorum = size / 2 + 1;
    List<String> unreachable = new ArrayList<>();
    int answering = 0;
    for (RaftConsenter c : after) {
      boolean added = change.added().stream().anyMatch(a -> a.endpoint().equals(c.endpoint()));
      if (added || reach.problem(c.host(), c.port()).isEmpty()) {
        answering++;
      } else {
        unreachable.add(c.endpoint());
      }
    }
    if (answering < quorum) {
      String what =
          change.removed().isEmpty()
              ? "adding " + change.added().getFirst().endpoint()
              : "removing " + change.removed().getFirst().endpoint();
      throw new CommandFailedException(
          what
              + " would lose quorum: "
              + size
              + " consenters need "
              + quorum
              + " answering, and "
              + answering
              + " answer (not answering: "
              + String.join(", ", unreachable)
              + "): nothing submitted");
    }
  }

  private List<LocalSigningIdentity> signers(ChannelConfig current) {
    if (!options.signWith.isEmpty()) {
      return Signers.load(options.signWith, current);
    }
    Optional<Path> admin = network.flatMap(Signers::networkAdminMsp);
    if (admin.isPresent()) {
      return List.of(Signers.load(admin.get(), null, current));
    }
    return List.of(ClientIdentity.signer(target, Ecdsa.preferred()));
  }

  private int broadcastAndWait(Envelope signed, CurrentConfig fresh) throws InterruptedException {
    CommandFailedException last = null;
    int used = -1;
    BroadcastResponse r = null;
    for (int i = 0; i < target.endpoints().size() && r == null; i++) {
      try {
        r = SingleBroadcast.send(target, target.endpoints().get(i), signed, options.timeout);
        used = i;
      } catch (CommandFailedException e) {
        last = e;
      }
    }
    if (r == null) {
      throw last;
    }
    OrdererEndpoint endpoint = target.endpoints().get(used);
    if (r.getStatus() != Status.SUCCESS) {
      throw new CommandFailedException(
          "orderer "
              + endpoint
              + " refused the update: "
              + r.getStatus()
              + (r.getInfo().isEmpty() ? "" : " (" + MessageText.oneLine(r.getInfo()) + ")"));
    }
    long number = awaitBlock(signed, fresh.height(), used);
    out.println(
        style.ok("config block " + number)
            + " of channel "
            + target.channel()
            + " written (sequence "
            + (fresh.sequence() + 1)
            + "), submitted to "
            + endpoint);
    out.flush();
    return 0;
  }

  /**
   * The number of the config block carrying {@code signed}, delivered from block {@code from} on. A
   * Deliver stream that ends first (Fabric's orderer ends them with SERVICE_UNAVAILABLE while a
   * channel has no leader, as when the leader is the consenter removed) is opened again, on the
   * next orderer of the target, until the timeout.
   */
  private long awaitBlock(Envelope signed, long from, int firstEndpoint)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout.toNanos();
    SignedEnvelopes envelopes =
        new SignedEnvelopes(
            ClientIdentity.signer(target, Ecdsa.preferred()),
            ClientIdentity.tlsCertificateDer(target),
            random);
    String why = "no block yet";
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      OrdererEndpoint endpoint =
          target.endpoints().get((firstEndpoint + attempt) % target.endpoints().size());
      CompletableFuture<Long> block = new CompletableFuture<>();
      ManagedChannel channel = GrpcChannels.open(endpoint, GrpcChannels.tls(target));
      try (DeliverCall watch =
          DeliverCall.open(
              channel,
              envelopes.seek(
                  target.channel(), SignedEnvelopes.range(from, Long.MAX_VALUE), Instant.now()),
              b -> {
                if (carries(b, signed)) {
                  block.complete(b.getHeader().getNumber());
                }
              })) {
        long left = Math.max(1, deadline - System.nanoTime());
        CompletableFuture.anyOf(block, watch.finished()).get(left, TimeUnit.NANOSECONDS);
        if (block.isDone()) {
          return block.join();
        }
        why = endpoint + " ended the Deliver stream: " + watch.finished().getNow(null);
      } catch (ExecutionException e) {
        if (block.isDone()) {
          return block.join();
        }
        why = endpoint + ": " + MessageText.oneLine(String.valueOf(e.getCause().getMessage()));
      } catch (TimeoutException e) {
        break;
      } finally {
        GrpcChannels.close(channel);
      }
      LockSupport.parkNanos(Math.min(REDELIVER_PAUSE.toNanos(), deadline - System.nanoTime()));
    }
    throw new CommandFailedException(
        "the update was accepted, but no config block carrying it came within "
            + options.timeout
            + " (last: "
            + why
            + ")");
  }

  /** Whether {@code b} is the config block that {@code update} led to. */
  private static boolean carries(Block b, Envelope update) {
    if (!ConfigBlocks.isConfigBlock(b)) {
      return false;
    }
    try {
      Envelope env = Envelope.parseFrom(b.getData().getData(0));
      ConfigEnvelope ce = ConfigEnvelope.parseFrom(Payload.parseFrom(env.getPayload()).getData());
      return ce.getLastUpdate().equals(update);
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }
}
