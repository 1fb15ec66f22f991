package io.ordo.fabric.msp;

/**
 * An organisational unit value and the identifier of the CA chain that must have certified it
 * (empty when any of the MSP's CAs may have).
 */
record OuIdentifier(String ou, byte[] certifiersIdentifier) {}
