package io.ordo.fabric.crypto;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * A certificate's subject and authority key identifiers, as Go's x509 exposes them ({@code
 * SubjectKeyId}, {@code AuthorityKeyId}): the bytes of the extension's key identifier, empty when
 * the certificate has none.
 */
public final class KeyIdentifiers {
  private KeyIdentifiers() {}

  public static byte[] subject(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (ext == null) {
      return new byte[0];
    }
    try {
      return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
          .getKeyIdentifier();
    } catch (IllegalArgumentException e) {
      return new byte[0]; // unparsable: no identifier, as Go's parser would have refused it
    }
  }

  public static byte[] authority(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (ext == null) {
      return new byte[0];
    }
    try {
      byte[] id =
          AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
              .getKeyIdentifier();
      return id == null ? new byte[0] : id;
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
