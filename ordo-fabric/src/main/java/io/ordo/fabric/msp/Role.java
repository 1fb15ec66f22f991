package io.ordo.fabric.msp;

import org.hyperledger.fabric.protos.common.MSPRole;

/** The roles a principal can require, in MSPRole.MSPRoleType numbering. */
public enum Role {
  MEMBER,
  ADMIN,
  CLIENT,
  PEER,
  ORDERER;

  public static Role of(MSPRole.MSPRoleType type) {
    return switch (type) {
      case MEMBER -> MEMBER;
      case ADMIN -> ADMIN;
      case CLIENT -> CLIENT;
      case PEER -> PEER;
      case ORDERER -> ORDERER;
      case UNRECOGNIZED -> throw new IllegalArgumentException("unrecognised MSP role");
    };
  }
}
