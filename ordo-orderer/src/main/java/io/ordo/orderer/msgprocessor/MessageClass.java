package io.ordo.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.HeaderType;

/** How Broadcast treats an envelope, by its channel header type. */
public enum MessageClass {
  /** Any type that is not a config type, including types the orderer does not know. */
  NORMAL,
  /** CONFIG_UPDATE: validated and turned into a CONFIG envelope by the orderer. */
  CONFIG_UPDATE,
  /** CONFIG: only the orderer makes these; a client sending one is refused. */
  CONFIG,
  /** ORDERER_TRANSACTION: system channel messages, no longer supported. */
  ORDERER_TRANSACTION;

  public static MessageClass of(ChannelHeader header) {
    return switch (header.getType()) {
      case HeaderType.CONFIG_UPDATE_VALUE -> CONFIG_UPDATE;
      case HeaderType.CONFIG_VALUE -> CONFIG;
      case HeaderType.ORDERER_TRANSACTION_VALUE -> ORDERER_TRANSACTION;
      default -> NORMAL;
    };
  }
}
