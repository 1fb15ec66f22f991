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
  private CryptoConfigYaml() {}

  static Path write(Path file, int orderers, boolean nodeOus) {
    StringBuilder b = new StringBuilder();
    b.append("OrdererOrgs:\n");
    b.append("  - Name: Orderer\n");
    b.append("    Domain: example.com\n");
    b.append("    EnableNodeOUs: ").append(nodeOus).append('\n');
    b.append("    Specs:\n");
    for (int i = 1; i <= orderers; i++) {
      b.append("      - Hostname: orderer").append(i).append('\n');
      b.append("        SANS: [localhost, 127.0.0.1]\n");
    }
    b.append("PeerOrgs:\n");
    b.append("  - Name: Org1\n");
    b.append("    Domain: org1.example.com\n");
    b.append("    EnableNodeOUs: ").append(nodeOus).append('\n');
    b.append("    Template:\n");
    b.append("      Count: 1\n");
    b.append("      SANS: [localhost, 127.0.0.1]\n");
    b.append("    Users:\n");
    b.append("      Count: 1\n");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
