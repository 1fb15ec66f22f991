package io.ordo.orderer.server;

import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.cluster.TlsIdentity;
import io.ordo.orderer.config.LocalConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the PEM files orderer.yaml names; a problem names the key and the file. */
final class TlsFiles {
  private TlsFiles() {}

  /**
   * @param keyName the orderer.yaml key of the private key file, e.g. General.TLS.PrivateKey
   */
  static TlsIdentity identity(
      String keyName, Optional<Path> keyFile, String certName, Optional<Path> certFile) {
    Path key = keyFile.orElseThrow(() -> new LocalConfigException(keyName, "must be set"));
    Path cert = certFile.orElseThrow(() -> new LocalConfigException(certName, "must be set"));
    try {
      return new TlsIdentity(
          Pem.privateKey(read(keyName, key)), Pem.certificates(read(certName, cert)));
    } catch (Pem.PemException | IllegalArgumentException e) {
      throw new LocalConfigException(
          keyName + "/" + certName, key + ", " + cert + ": " + e.getMessage(), e);
    }
  }

  static List<X509Certificate> certificates(String keyName, List<Path> files) {
    List<X509Certificate> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.addAll(Pem.certificates(read(keyName, f)));
      } catch (Pem.PemException e) {
        throw new LocalConfigException(keyName, f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The operating system's reason in words, not the name of Java's exception for it. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return String.valueOf(e.getMessage());
  }

  private static byte[] read(String keyName, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new LocalConfigException(keyName, "cannot read " + file + ": " + reason(e), e);
    }
  }
}
