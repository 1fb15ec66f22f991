package io.ordo.orderer.msgprocessor;

import io.ordo.fabric.channelconfig.ChannelConfig;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Fabric's ProposeConfigUpdate: checks a CONFIG_UPDATE envelope against the current config (read
 * set versions, mod policies over the update's signatures) and computes the next config. The
 * configtx validator implements it.
 */
@FunctionalInterface
public interface ConfigUpdateProposer {
  /**
   * @return the next config, with sequence = current + 1
   * @throws RuntimeException naming what is wrong with the update; Broadcast answers BAD_REQUEST
   *     unless it is a {@link MessageRejectedException} of another reason
   */
  Config propose(ChannelConfig current, Envelope configUpdate);
}
