package io.ordo.fabric.msp;

import java.util.Optional;

/**
 * The NodeOU classification of an MSP: which OU value marks a client, peer, admin or orderer, each
 * optionally bound to the CA chain that must have issued it.
 */
record NodeOus(
    boolean enabled,
    Optional<OuIdentifier> client,
    Optional<OuIdentifier> peer,
    Optional<OuIdentifier> admin,
    Optional<OuIdentifier> orderer) {

  static NodeOus disabled() {
    return new NodeOus(
        false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  Optional<OuIdentifier> of(Role role) {
    return switch (role) {
      case CLIENT -> client;
      case PEER -> peer;
      case ADMIN -> admin;
      case ORDERER -> orderer;
      case MEMBER -> Optional.empty();
    };
  }
}
