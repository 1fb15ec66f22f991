/**
 * Generating a local network's crypto material as Fabric's cryptogen does: the certificate
 * authority, the crypto-config.yaml model, and the writer of the msp/tls directory layout. Uses
 * {@code crypto}.
 */
package io.ordo.fabric.cryptogen;
