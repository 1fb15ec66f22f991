package io.ordo.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Envelope;

/**
 * A CONFIG envelope made by this orderer from a client's CONFIG_UPDATE.
 *
 * @param configSeq the config sequence it was validated against
 */
public record ConfigMessage(Envelope config, long configSeq) {}
