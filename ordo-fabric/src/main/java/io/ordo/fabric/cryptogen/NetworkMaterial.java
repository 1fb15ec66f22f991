package io.ordo.fabric.cryptogen;

import io.ordo.fabric.crypto.KeyAlgorithm;
import io.ordo.fabric.crypto.KeyPairs;
import io.ordo.fabric.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes the crypto material of a {@link CryptoConfig} in cryptogen's directory layout: per
 * organisation {@code ca/}, {@code tlsca/}, the verifying {@code msp/}, one folder per orderer or
 * peer and per user, each with {@code msp/} (cacerts, signcerts, keystore, tlscacerts, admincerts,
 * config.yaml) and {@code tls/} (ca.crt, server or client certificate and key).
 */
public final class NetworkMaterial {
  /** cryptogen's certificate lifetime. */
  public static final Duration VALIDITY = Duration.ofDays(3650);

  private final SecureRandom random;
  private final Instant notBefore;
  private final Instant notAfter;

  public NetworkMaterial(SecureRandom random, Instant now) {
    this.random = random;
    this.notBefore = now.truncatedTo(ChronoUnit.MINUTES);
    this.notAfter = notBefore.plus(VALIDITY);
  }

  /** Writes everything under {@code out} (ordererOrganizations/, peerOrganizations/). */
  public void write(CryptoConfig config, Path out) {
    for (CryptoConfig.Org org : config.ordererOrgs()) {
      writeOrg(
          org, out.resolve("ordererOrganizations").resolve(org.domain()), "orderers", "orderer");
    }
    for (CryptoConfig.Org org : config.peerOrgs()) {
      writeOrg(org, out.resolve("peerOrganizations").resolve(org.domain()), "peers", "peer");
    }
  }

  private void writeOrg(CryptoConfig.Org org, Path base, String nodesFolder, String nodeOu) {
    String domain = org.domain();
    CertificateAuthority ca =
        CertificateAuthority.root(
            domain, "ca." + domain, notBefore, notAfter, org.caAlgorithm(), random);
    CertificateAuthority tlsCa =
        CertificateAuthority.root(
            domain, "tlsca." + domain, notBefore, notAfter, org.caAlgorithm(), random);
    String caFile = "ca." + domain + "-cert.pem";
    String tlsCaFile = "tlsca." + domain + "-cert.pem";
    writeCa(base.resolve("ca"), caFile, ca);
    writeCa(base.resolve("tlsca"), tlsCaFile, tlsCa);

    Authorities cas = new Authorities(ca, caFile, tlsCa, tlsCaFile, org.nodeOus());
    String adminName = "Admin@" + domain;
    // cryptogen makes the admin ECDSA whatever the org's algorithms are
    KeyPair adminKeys = KeyPairs.p256(random);
    X509Certificate adminCert =
        ca.issue(
            adminName, ous(org, "admin"), List.of(), adminKeys.getPublic(), notBefore, notAfter);

    writeVerifyingMsp(base.resolve("msp"), cas, org.nodeOus() ? null : adminCert, adminName);
    for (CryptoConfig.Node node : org.nodes()) {
      Path dir = base.resolve(nodesFolder).resolve(node.commonName());
      KeyPair keys = KeyPairs.generate(node.algorithm(), random);
      X509Certificate cert =
          ca.issue(
              node.commonName(),
              ous(org, nodeOu),
              List.of(),
              keys.getPublic(),
              notBefore,
              notAfter);
      writeLocalMsp(dir.resolve("msp"), cas, node.commonName(), cert, keys, adminCert, adminName);
      writeTls(dir.resolve("tls"), cas, "server", node.commonName(), node.sans(), node.algorithm());
    }
    writeUser(base, cas, adminName, adminCert, adminKeys, KeyAlgorithm.ECDSA);
    for (int i = 1; i <= org.users(); i++) {
      String name = "User" + i + "@" + domain;
      KeyPair keys = KeyPairs.generate(org.usersAlgorithm(), random);
      X509Certificate cert =
          ca.issue(name, ous(org, "client"), List.of(), keys.getPublic(), notBefore, notAfter);
      writeUser(base, cas, name, cert, keys, org.usersAlgorithm());
    }
  }

  private record Authorities(
      CertificateAuthority ca,
      String caFile,
      CertificateAuthority tlsCa,
      String tlsCaFile,
      boolean nodeOus) {}

  private static List<String> ous(CryptoConfig.Org org, String ou) {
    return org.nodeOus() ? List.of(ou) : List.of();
  }

  /**
   * A user's folder. Without NodeOUs its MSP names the user itself as admin, as cryptogen leaves a
   * user's MSP: cryptogen copies the org admin's certificate into the org's and the nodes' MSPs
   * only.
   */
  private void writeUser(
      Path base,
      Authorities cas,
      String name,
      X509Certificate cert,
      KeyPair keys,
      KeyAlgorithm algorithm) {
    Path dir = base.resolve("users").resolve(name);
    writeLocalMsp(dir.resolve("msp"), cas, name, cert, keys, cert, name);
    writeTls(dir.resolve("tls"), cas, "client", name, List.of(), algorithm);
  }

  private void writeCa(Path dir, String certFile, CertificateAuthority ca) {
    writeFile(dir.resolve(certFile), Pem.encode(ca.certificate()));
    writeKey(dir.resolve("priv_sk"), Pem.encode(ca.keys().getPrivate()));
  }

  private void writeVerifyingMsp(
      Path msp, Authorities cas, X509Certificate admin, String adminName) {
    writeFile(msp.resolve("cacerts").resolve(cas.caFile()), Pem.encode(cas.ca().certificate()));
    writeFile(
        msp.resolve("tlscacerts").resolve(cas.tlsCaFile()), Pem.encode(cas.tlsCa().certificate()));
    if (cas.nodeOus()) {
      writeFile(msp.resolve("config.yaml"), nodeOusYaml(cas.caFile()).getBytes());
      // with NodeOUs an MSP knows its admins by OU; cryptogen still makes the folder, empty
      createDirectory(msp.resolve("admincerts"));
    } else {
      // without NodeOUs an MSP knows its admins by certificate
      writeFile(msp.resolve("admincerts").resolve(adminName + "-cert.pem"), Pem.encode(admin));
    }
  }

  private void writeLocalMsp(
      Path msp,
      Authorities cas,
      String name,
      X509Certificate cert,
      KeyPair keys,
      X509Certificate adminCert,
      String adminName) {
    writeVerifyingMsp(msp, cas, adminCert, adminName);
    writeFile(msp.resolve("signcerts").resolve(name + "-cert.pem"), Pem.encode(cert));
    writeKey(msp.resolve("keystore").resolve("priv_sk"), Pem.encode(keys.getPrivate()));
  }

  /** The TLS key is of the node's or user's algorithm, as cryptogen makes it. */
  private void writeTls(
      Path tls,
      Authorities cas,
      String role,
      String cn,
      List<String> sans,
      KeyAlgorithm algorithm) {
    KeyPair keys = KeyPairs.generate(algorithm, random);
    X509Certificate cert = cas.tlsCa().issueTls(cn, sans, keys.getPublic(), notBefore, notAfter);
    writeFile(tls.resolve("ca.crt"), Pem.encode(cas.tlsCa().certificate()));
    writeFile(tls.resolve(role + ".crt"), Pem.encode(cert));
    writeKey(tls.resolve(role + ".key"), Pem.encode(keys.getPrivate()));
  }

  /** The NodeOUs config.yaml cryptogen writes, every OU certified by the org's CA. */
  static String nodeOusYaml(String caFile) {
    StringBuilder b = new StringBuilder("NodeOUs:\n  Enable: true\n");
    for (String[] ou :
        new String[][] {
          {"ClientOUIdentifier", "client"},
          {"PeerOUIdentifier", "peer"},
          {"AdminOUIdentifier", "admin"},
          {"OrdererOUIdentifier", "orderer"}
        }) {
      b.append("  ").append(ou[0]).append(":\n");
      b.append("    Certificate: cacerts/").append(caFile).append('\n');
      b.append("    OrganizationalUnitIdentifier: ").append(ou[1]).append('\n');
    }
    return b.toString();
  }

  private static void writeFile(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static void writeKey(Path file, byte[] pem) {
    writeFile(file, pem);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the default permissions
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict " + file, e);
    }
  }
}
