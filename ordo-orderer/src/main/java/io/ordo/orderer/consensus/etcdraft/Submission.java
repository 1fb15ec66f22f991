package io.ordo.orderer.consensus.etcdraft;

import org.hyperledger.fabric.protos.orderer.SubmitRequest;

/**
 * An envelope on its way to the leader's block cutter, classified once when it was submitted: a
 * CONFIG envelope becomes a block alone, anything else is cut with its neighbours.
 */
record Submission(SubmitRequest request, boolean config) {}
