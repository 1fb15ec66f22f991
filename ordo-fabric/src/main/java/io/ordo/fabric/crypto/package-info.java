/**
 * Cryptography as Fabric's bccsp "SW" does it: ECDSA P-256 over SHA-256 with the low-S rule, the
 * JCA provider chosen once per process (Amazon Corretto Crypto Provider when it loads, the JDK's
 * otherwise), PEM reading and writing, and the bounded caches that keep identity and signature
 * checks cheap. Depends on nothing else in this module.
 */
package io.ordo.fabric.crypto;
