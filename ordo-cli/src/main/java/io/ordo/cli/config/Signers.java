package io.ordo.cli.config;

import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.cli.network.NetworkFile;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.OrgConfig;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.crypto.Pem;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.LocalSigningIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The admins whose config signatures an update gets, from {@code --sign-with} values. */
final class Signers {
  private Signers() {}

  /**
   * Each {@code MSPDIR[:MSPID]}; an MSP ID left out is that of the channel organization whose MSP
   * root certificates issued the signing certificate.
   */
  static List<LocalSigningIdentity> load(List<String> specs, ChannelConfig channel) {
    List<LocalSigningIdentity> out = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.lastIndexOf(':');
      Path dir = Path.of(colon < 0 ? spec : spec.substring(0, colon));
      String id = colon < 0 ? null : spec.substring(colon + 1);
      out.add(load(dir, id, channel));
    }
    return out;
  }

  static LocalSigningIdentity load(Path dir, String mspId, ChannelConfig channel) {
    InputFiles.directory(dir, "MSP folder");
    String id = mspId != null && !mspId.isEmpty() ? mspId : mspIdOf(dir, channel);
    try {
      return LocalSigningIdentity.load(dir, id, Ecdsa.preferred());
    } catch (IllegalArgumentException | UncheckedIOException | Pem.PemException e) {
      throw new CommandFailedException(
          "cannot load the signing identity of MSP folder "
              + dir
              + ": "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }

  /**
   * The orderer organization's admin of a network that {@code ordo network up} wrote: the MSP
   * folder beside the admin TLS certificate network.json names.
   */
  static Optional<Path> networkAdminMsp(Path networkDir) {
    NetworkFile n = NetworkFile.read(networkDir);
    if (n.admin() == null || n.admin().certFile() == null) {
      return Optional.empty();
    }
    Path tlsCert = NetworkFile.resolve(networkDir, n.admin().certFile());
    Path msp = tlsCert.toAbsolutePath().getParent().resolveSibling("msp");
    return Files.isDirectory(msp.resolve("signcerts")) ? Optional.of(msp) : Optional.empty();
  }

  private static String mspIdOf(Path dir, ChannelConfig channel) {
    X509Certificate cert = signcert(dir);
    List<OrgConfig> orgs = new ArrayList<>(channel.orderer().orgs().values());
    channel.application().ifPresent(a -> orgs.addAll(a.orgs().values()));
    for (OrgConfig org : orgs) {
      if (org.msp().isPresent() && issuedBy(cert, org.msp().get())) {
        return org.mspId();
      }
    }
    throw new CommandFailedException(
        "no organization of the channel has a CA that issued "
            + cert.getSubjectX500Principal()
            + " (MSP folder "
            + dir
            + "); give its MSP ID as --sign-with "
            + dir
            + ":MSPID");
  }

  private static boolean issuedBy(X509Certificate cert, FabricMsp msp) {
    List<byte[]> cas =
        new ArrayList<>(
            msp.config().getRootCertsList().stream().map(b -> b.toByteArray()).toList());
    msp.config().getIntermediateCertsList().forEach(b -> cas.add(b.toByteArray()));
    for (byte[] pem : cas) {
      try {
        X509Certificate ca = Pem.certificate(pem);
        if (ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
          cert.verify(ca.getPublicKey());
          return true;
        }
      } catch (GeneralSecurityException | Pem.PemException e) {
        // another CA of the same name, or not a certificate: not this one
      }
    }
    return false;
  }

  private static X509Certificate signcert(Path dir) {
    Path signcerts = dir.resolve("signcerts");
    try (Stream<Path> files = Files.list(signcerts)) {
      Path first =
          files
              .filter(Files::isRegularFile)
              .sorted()
              .findFirst()
              .orElseThrow(
                  () -> new CommandFailedException("MSP folder " + dir + " has no signcerts file"));
      return Pem.certificate(Files.readAllBytes(first));
    } catch (IOException | Pem.PemException e) {
      throw new CommandFailedException(
          "cannot read the certificate in "
              + signcerts
              + ": "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }
}
