package io.ordo.orderer.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.configtx.ChannelIds;
import io.ordo.fabric.envelope.EnvelopeChecks;
import io.ordo.fabric.envelope.EnvelopeParser;
import io.ordo.fabric.envelope.MalformedEnvelopeException;
import io.ordo.fabric.envelope.ParsedEnvelope;
import io.ordo.storage.ledger.BlockLedger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * The checks of Fabric's deliverBlocks before the first block, in its order: envelope and headers,
 * timestamp window and TLS binding (BAD_REQUEST), channel (NOT_FOUND; SERVICE_UNAVAILABLE for one
 * held but unavailable, such as one being rebuilt after damage), SeekInfo (BAD_REQUEST), chain in
 * error (SERVICE_UNAVAILABLE unless BEST_EFFORT), readers policy (FORBIDDEN), missing start or stop
 * and a stop before the start (BAD_REQUEST); then, Ordo's, a start below the ledger's first block
 * (NOT_FOUND, with the reason in {@link PrunedBlocks}' trailers).
 */
final class SeekRequests {
  private final DeliverChannels channels;
  private final DeliverOptions options;
  private final EnvelopeParser parser = new EnvelopeParser(Long.MAX_VALUE);

  SeekRequests(DeliverChannels channels, DeliverOptions options) {
    this.channels = channels;
    this.options = options;
  }

  SeekOutcome check(Envelope envelope, Optional<X509Certificate> clientCertificate) {
    ParsedEnvelope env;
    try {
      env = parser.parse(envelope);
      EnvelopeChecks.checkTimestamp(env, options.clock().instant(), options.timeWindow());
      if (options.mutualTls()) {
        if (clientCertificate.isEmpty()) {
          return refused(Status.BAD_REQUEST, "unknown", "client did not send a TLS certificate");
        }
        EnvelopeChecks.checkTlsBinding(env, der(clientCertificate.get()));
      }
    } catch (MalformedEnvelopeException e) {
      return refused(Status.BAD_REQUEST, "unknown", e.getMessage());
    }
    String channel = env.channelId();
    // an ID the node does not hold is the client's text: it names no metric label
    Optional<String> badId = ChannelIds.problem(channel);
    if (badId.isPresent()) {
      return refused(Status.NOT_FOUND, "unknown", "bad channel ID: " + badId.get());
    }
    Optional<DeliverSupport> found = channels.channel(channel);
    if (found.isEmpty()) {
      Optional<String> unavailable = channels.unavailable(channel);
      if (unavailable.isPresent()) {
        return refused(
            Status.SERVICE_UNAVAILABLE,
            channel,
            "channel " + channel + " is unavailable: " + unavailable.get());
      }
      return refused(Status.NOT_FOUND, "unknown", "channel " + channel + " not found");
    }
    DeliverSupport support = found.get();
    SeekInfo seekInfo;
    try {
      seekInfo = SeekInfo.parseFrom(env.payload().getData());
    } catch (InvalidProtocolBufferException e) {
      return refused(Status.BAD_REQUEST, channel, "malformed seekInfo payload: " + e.getMessage());
    }
    if (seekInfo.getErrorResponse() != SeekInfo.SeekErrorResponse.BEST_EFFORT
        && support.errored().isDone()) {
      return refused(Status.SERVICE_UNAVAILABLE, channel, "chain is in an errored state");
    }
    SessionAccess access =
        new SessionAccess(
            support::config,
            env.signedData(),
            env.signatureHeader().getCreator().toByteArray(),
            options.noExpirationChecks(),
            options.clock());
    Optional<String> denied = access.check();
    if (denied.isPresent()) {
      return refused(Status.FORBIDDEN, channel, denied.get());
    }
    if (!seekInfo.hasStart() || !seekInfo.hasStop()) {
      return refused(Status.BAD_REQUEST, channel, "seekInfo missing start or stop");
    }
    return plan(support, access, seekInfo, channel);
  }

  private static SeekOutcome plan(
      DeliverSupport support, SessionAccess access, SeekInfo seekInfo, String channel) {
    BlockLedger ledger = support.ledger();
    long height = ledger.height();
    SeekPosition start = seekInfo.getStart();
    long number;
    boolean found = true;
    switch (start.getTypeCase()) {
      case OLDEST -> number = 0;
      case NEWEST -> number = height - 1;
      case SPECIFIED -> {
        number = start.getSpecified().getNumber();
        if (Long.compareUnsigned(number, height) > 0) {
          found = false;
          number = 0;
        }
      }
      case NEXT_COMMIT -> number = height;
      default -> {
        found = false;
        number = 0;
      }
    }
    long first = ledger.first();
    if (found && Long.compareUnsigned(number, first) < 0) {
      return new SeekOutcome.Refused(
          Status.NOT_FOUND, channel, PrunedBlocks.reason(number, first), first);
    }
    SeekPosition stop = seekInfo.getStop();
    long stopNumber =
        switch (stop.getTypeCase()) {
          case OLDEST -> number;
          // start and stop both newest: one block, even if another is written meanwhile
          case NEWEST -> start.equals(stop) ? number : height - 1;
          case SPECIFIED -> stop.getSpecified().getNumber();
          default -> 0;
        };
    if (stop.getTypeCase() == SeekPosition.TypeCase.SPECIFIED
        && Long.compareUnsigned(stopNumber, number) < 0) {
      return refused(
          Status.BAD_REQUEST,
          channel,
          "start number " + number + " greater than stop number " + stopNumber);
    }
    return new SeekOutcome.Serve(
        new SeekPlan(support, access, seekInfo, channel, number, found, stopNumber));
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new MalformedEnvelopeException(
          MalformedEnvelopeException.Reason.TLS_BINDING_MISMATCH,
          "client TLS certificate does not encode: " + e.getMessage(),
          e);
    }
  }

  private static SeekOutcome refused(Status status, String channel, String reason) {
    return new SeekOutcome.Refused(status, channel, reason);
  }
}
