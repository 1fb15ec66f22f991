package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.envelope.MalformedEnvelopeException;
import io.ordo.fabric.envelope.ParsedEnvelope;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

/**
 * Evaluates a channel policy over the envelope's signed data (payload, creator, signature): {@code
 * /Channel/Writers} normally, {@code /Channel/Orderer/Writers} while the channel is in maintenance
 * mode. A refusal is PERMISSION_DENIED (Broadcast answers FORBIDDEN).
 */
final class SigFilter implements Rule {
  static final String CHANNEL_WRITERS = "/Channel/Writers";
  static final String ORDERER_WRITERS = "/Channel/Orderer/Writers";

  private final String normalPolicy;
  private final String maintenancePolicy;

  SigFilter(String normalPolicy, String maintenancePolicy) {
    this.normalPolicy = normalPolicy;
    this.maintenancePolicy = maintenancePolicy;
  }

  @Override
  public void apply(ChannelConfig config, CheckedEnvelope checked) {
    String path =
        config.orderer().consensusState() == ConsensusType.State.STATE_MAINTENANCE
            ? maintenancePolicy
            : normalPolicy;
    ParsedEnvelope parsed;
    try {
      parsed = checked.parsed();
    } catch (MalformedEnvelopeException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.BAD_REQUEST,
          "could not convert message to signedData: " + e.getMessage(),
          e);
    }
    Policy policy =
        config
            .policies()
            .find(path)
            .orElseThrow(
                () ->
                    new MessageRejectedException(
                        MessageRejectedException.Reason.BAD_REQUEST,
                        "could not find policy " + path));
    try {
      policy.evaluate(parsed.signedData());
    } catch (PolicyNotSatisfiedException e) {
      throw new MessageRejectedException(
          MessageRejectedException.Reason.PERMISSION_DENIED,
          "SigFilter evaluation failed: policy " + path + " not satisfied: " + e.getMessage(),
          e);
    }
  }
}
