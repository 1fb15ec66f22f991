package io.ordo.orderer.deliver;

import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * A checked Deliver request: where to start and stop, and how.
 *
 * @param startFound false when the start position does not exist (specified beyond the height, or
 *     no position type): the first read answers NOT_FOUND, as Fabric's not-found iterator does
 * @param stop the number after whose delivery the request completes; Fabric leaves it 0 for a
 *     next_commit stop, so such a request keeps delivering unless it started at block 0
 */
record SeekPlan(
    DeliverSupport support,
    SessionAccess access,
    SeekInfo seekInfo,
    String channel,
    long start,
    boolean startFound,
    long stop) {
  boolean failIfNotReady() {
    return seekInfo.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;
  }

  boolean strict() {
    return seekInfo.getErrorResponse() != SeekInfo.SeekErrorResponse.BEST_EFFORT;
  }

  boolean headersOnly() {
    return seekInfo.getContentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG;
  }
}
