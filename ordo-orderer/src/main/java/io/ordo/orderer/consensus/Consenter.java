package io.ordo.orderer.consensus;

/** Makes the chain of one channel for one consensus type (Fabric's {@code consensus.Consenter}). */
public interface Consenter {
  /**
   * @throws IllegalArgumentException when the channel's consensus metadata is unusable or this node
   *     is not one of its consenters
   */
  Chain handleChain(ConsenterSupport support);
}
