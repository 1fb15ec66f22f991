package io.ordo.orderer.cluster;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key and certificate a TLS listener presents, replaceable while it runs: each handshake reads
 * the current identity, so a rotated certificate is presented to every new connection without a
 * restart.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "current";

  private final AtomicReference<TlsIdentity> identity;

  public RotatingKeyManager(TlsIdentity initial) {
    this.identity = new AtomicReference<>(initial);
  }

  public TlsIdentity current() {
    return identity.get();
  }

  public void replace(TlsIdentity next) {
    identity.set(next);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return ALIAS;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return identity.get().chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return identity.get().privateKey();
  }
}
