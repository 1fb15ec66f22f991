package io.ordo.fabric.configtx;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Verifies that a TLS certificate chains to one of a set of roots through a set of intermediates,
 * for client or server authentication, as Go's x509 Verify does for consenter certificates.
 */
public final class TlsChains {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_EKU = "2.5.29.37.0";
  private static final int MAX_DEPTH = 10;

  private final List<X509Certificate> roots;
  private final List<X509Certificate> intermediates;

  public TlsChains(List<X509Certificate> roots, List<X509Certificate> intermediates) {
    this.roots = List.copyOf(roots);
    this.intermediates = List.copyOf(intermediates);
  }

  /**
   * Checks {@code leaf}.
   *
   * @param at the time every certificate must be valid at; empty to ignore expiry
   * @return why it does not verify, or empty when it does
   */
  public Optional<String> problem(X509Certificate leaf, Optional<Instant> at) {
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null
          && !eku.contains(CLIENT_AUTH)
          && !eku.contains(SERVER_AUTH)
          && !eku.contains(ANY_EKU)) {
        return Optional.of("extended key usage allows neither client nor server authentication");
      }
    } catch (CertificateParsingException e) {
      return Optional.of("extended key usage does not parse: " + e.getMessage());
    }
    X509Certificate current = leaf;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Optional<String> timeProblem = validityProblem(current, at);
      if (timeProblem.isPresent()) {
        return timeProblem;
      }
      if (issuedBy(current, roots).isPresent()) {
        return validityProblem(issuedBy(current, roots).get(), at);
      }
      Optional<X509Certificate> next = issuedBy(current, intermediates);
      if (next.isEmpty() || next.get().equals(current)) {
        return Optional.of(
            "certificate of "
                + leaf.getSubjectX500Principal()
                + " is signed by an unknown authority "
                + current.getIssuerX500Principal());
      }
      current = next.get();
    }
    return Optional.of("certification chain longer than " + MAX_DEPTH);
  }

  private static Optional<X509Certificate> issuedBy(
      X509Certificate cert, List<X509Certificate> candidates) {
    List<X509Certificate> matching = new ArrayList<>();
    for (X509Certificate ca : candidates) {
      if (!ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      try {
        cert.verify(ca.getPublicKey());
        matching.add(ca);
      } catch (GeneralSecurityException e) {
        // same name, other key: not this certificate's issuer
      }
    }
    return matching.stream().findFirst();
  }

  private static Optional<String> validityProblem(X509Certificate c, Optional<Instant> at) {
    if (at.isEmpty()) {
      return Optional.empty();
    }
    try {
      c.checkValidity(Date.from(at.get()));
      return Optional.empty();
    } catch (java.security.cert.CertificateExpiredException
        | java.security.cert.CertificateNotYetValidException e) {
      return Optional.of(
          "certificate of " + c.getSubjectX500Principal() + " is not valid at " + at.get());
    }
  }
}
