package io.ordo.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * What two certificates made by different tools from the same input must share: everything but the
 * keys, the serial number, the signature and the moment of issue. Key identifiers are compared by
 * length (they hash the keys).
 *
 * @param extensions each extension in the certificate's order: its OID, whether critical, and its
 *     value in hex (key identifiers as their length)
 */
record CertificateFields(
    int version,
    String subject,
    String issuer,
    Duration validity,
    String signatureAlgorithm,
    String publicKeyAlgorithm,
    List<String> extensions) {

  static CertificateFields of(Path pem) {
    try (PemReader r = new PemReader(Files.newBufferedReader(pem))) {
      Certificate c = Certificate.getInstance(r.readPemObject().getContent());
      List<String> extensions = new ArrayList<>();
      Extensions exts = c.getTBSCertificate().getExtensions();
      for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
        Extension e = exts.getExtension(oid);
        byte[] value = e.getExtnValue().getOctets();
        boolean keyId =
            oid.equals(Extension.subjectKeyIdentifier)
                || oid.equals(Extension.authorityKeyIdentifier);
        extensions.add(
            oid
                + (e.isCritical() ? " critical " : " ")
                + (keyId ? value.length + " bytes" : HexFormat.of().formatHex(value)));
      }
      return new CertificateFields(
          c.getVersionNumber(),
          c.getSubject().toString(),
          c.getIssuer().toString(),
          Duration.between(
              c.getStartDate().getDate().toInstant(), c.getEndDate().getDate().toInstant()),
          c.getSignatureAlgorithm().getAlgorithm().getId(),
          c.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId()
              + "/"
              + c.getSubjectPublicKeyInfo().getAlgorithm().getParameters(),
          List.copyOf(extensions));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the certificate " + pem, e);
    }
  }
}
