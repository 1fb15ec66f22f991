package io.ordo.orderer.expiry;

/** Which certificate of a consenter: the metric's {@code kind} label and the log's words. */
public enum CertificateKind {
  /** The client TLS certificate the consenter presents when it dials the others. */
  CLIENT_TLS("client_tls", "client TLS"),
  /** The server TLS certificate of the consenter's cluster listener. */
  SERVER_TLS("server_tls", "server TLS"),
  /** This node's own enrollment (signing) certificate, from General.LocalMSPDir. */
  ENROLLMENT("enrollment", "enrollment");

  private final String label;
  private final String words;

  CertificateKind(String label, String words) {
    this.label = label;
    this.words = words;
  }

  /** The metric label value and JSON name. */
  public String label() {
    return label;
  }

  /** How a log line or health reason names it. */
  public String words() {
    return words;
  }
}
