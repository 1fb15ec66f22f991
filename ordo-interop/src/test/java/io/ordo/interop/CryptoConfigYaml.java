package io.ordo.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * cryptogen's input for an interop network: orderer org {@code example.com} with {@code
 * orderer1..N} (TLS names localhost and 127.0.0.1), and peer org {@code org1.example.com} with one
 * peer and one user.
 */
final class CryptoConfigYaml {
  /** The domain of the second orderer org, when there is one. */
  static final String SECOND_DOMAIN = "example2.com";

  private CryptoConfigYaml() {}

  static Path write(Path file, int orderers, boolean nodeOus) {
    return write(file, orderers, nodeOus, "");
  }

  /**
   * As above, with {@code algorithm} (cryptogen v3's {@code PublicKeyAlgorithm}, "" for none) for
   * both orgs' CAs, the orderers, the peer and the user; the admins stay ECDSA, as cryptogen makes
   * them.
   */
  static Path write(Path file, int orderers, boolean nodeOus, String algorithm) {
    return write(file, orderers, nodeOus, algorithm, false);
  }

  /**
   * As above, and with {@code secondOrdererOrg} a second orderer org, {@value #SECOND_DOMAIN}: its
   * CAs, MSP and admin, and no orderer of its own.
   */
  static Path write(
      Path file, int orderers, boolean nodeOus, String algorithm, boolean secondOrdererOrg) {
    String alg = algorithm.isEmpty() ? "" : "PublicKeyAlgorithm: " + algorithm;
    StringBuilder b = new StringBuilder();
    b.append("OrdererOrgs:\n");
    b.append("  - Name: Orderer\n");
    b.append("    Domain: example.com\n");
    b.append("    EnableNodeOUs: ").append(nodeOus).append('\n');
    if (!alg.isEmpty()) {
      b.append("    CA:\n      ").append(alg).append('\n');
    }
    b.append("    Specs:\n");
    for (int i = 1; i <= orderers; i++) {
      b.append("      - Hostname: orderer").append(i).append('\n');
      b.append("        SANS: [localhost, 127.0.0.1]\n");
      if (!alg.isEmpty()) {
        b.append("        ").append(alg).append('\n');
      }
    }
    if (secondOrdererOrg) {
      b.append("  - Name: Orderer2\n");
      b.append("    Domain: ").append(SECOND_DOMAIN).append('\n');
      b.append("    EnableNodeOUs: ").append(nodeOus).append('\n');
    }
    b.append("PeerOrgs:\n");
    b.append("  - Name: Org1\n");
    b.append("    Domain: org1.example.com\n");
    b.append("    EnableNodeOUs: ").append(nodeOus).append('\n');
    if (!alg.isEmpty()) {
      b.append("    CA:\n      ").append(alg).append('\n');
    }
    b.append("    Template:\n");
    b.append("      Count: 1\n");
    b.append("      SANS: [localhost, 127.0.0.1]\n");
    if (!alg.isEmpty()) {
      b.append("      ").append(alg).append('\n');
    }
    b.append("    Users:\n");
    b.append("      Count: 1\n");
    if (!alg.isEmpty()) {
      b.append("      ").append(alg).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
