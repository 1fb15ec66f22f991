package io.ordo.fabric.msp;

import static io.ordo.fabric.msp.IdentityException.Reason;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.crypto.BoundedCache;
import io.ordo.fabric.crypto.Ed25519;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.crypto.Pem;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * One X.509 ("bccsp") MSP as Fabric v1.4.3+ semantics define it: identities must chain to one of
 * its root CAs through its intermediates, must not be revoked by its CRLs, must not be CAs, and
 * with NodeOUs enabled must carry exactly one of the client/peer/admin/orderer OUs. Their keys are
 * ECDSA or, as Fabric v3 allows, Ed25519. Expiry is not part of validation (Fabric validates at
 * NotBefore + 1s); see {@link Identity#checkNotExpired}.
 */
public final class FabricMsp {
  private static final int MAX_CHAIN_DEPTH = 10;
  private static final int VALIDATION_CACHE_SIZE = 100;

  private final String mspId;
  private final FabricMSPConfig config;
  private final List<X509Certificate> roots;
  private final List<X509Certificate> intermediates;
  private final List<X509Certificate> admins;
  private final List<X509CRL> crls;
  private final List<OuIdentifier> ouIdentifiers;
  private final NodeOus nodeOus;
  private final BoundedCache<Identity, Validation> validations =
      new BoundedCache<>(VALIDATION_CACHE_SIZE);
  private final BoundedCache<Principalship, Judgement> judgements =
      new BoundedCache<>(VALIDATION_CACHE_SIZE);

  /** An identity and a principal it was judged against (Fabric's satisfiesPrincipal cache). */
  private record Principalship(Identity identity, MSPPrincipal principal) {}

  /** Why an identity does not satisfy a principal; no failure when it does. */
  private record Judgement(IdentityException failure) {}

  /** The chain of a valid identity, or why it is not valid. */
  private record Validation(List<X509Certificate> chain, IdentityException failure) {}

  public FabricMsp(FabricMSPConfig config) {
    this.config = config;
    this.mspId = config.getName();
    if (mspId.isEmpty()) {
      throw new IllegalArgumentException("MSP config has no name");
    }
    if (config.getRootCertsCount() == 0) {
      throw new IllegalArgumentException("MSP " + mspId + " has no root CA certificate");
    }
    this.roots = certs(config.getRootCertsList(), "root_certs");
    this.intermediates = certs(config.getIntermediateCertsList(), "intermediate_certs");
    this.admins = certs(config.getAdminsList(), "admins");
    List<X509CRL> parsedCrls = new ArrayList<>();
    for (ByteString crl : config.getRevocationListList()) {
      parsedCrls.add(Pem.crl(crl.toByteArray()));
    }
    this.crls = List.copyOf(parsedCrls);
    List<OuIdentifier> ous = new ArrayList<>();
    for (FabricOUIdentifier id : config.getOrganizationalUnitIdentifiersList()) {
      ous.add(ouIdentifier(id));
    }
    this.ouIdentifiers = List.copyOf(ous);
    if (config.hasFabricNodeOus() && config.getFabricNodeOus().getEnable()) {
      var n = config.getFabricNodeOus();
      this.nodeOus =
          new NodeOus(
              true,
              optionalOu(n.hasClientOuIdentifier(), n.getClientOuIdentifier()),
              optionalOu(n.hasPeerOuIdentifier(), n.getPeerOuIdentifier()),
              optionalOu(n.hasAdminOuIdentifier(), n.getAdminOuIdentifier()),
              optionalOu(n.hasOrdererOuIdentifier(), n.getOrdererOuIdentifier()));
    } else {
      this.nodeOus = NodeOus.disabled();
    }
  }

  public String mspId() {
    return mspId;
  }

  public FabricMSPConfig config() {
    return config;
  }

  public List<X509Certificate> tlsRootCerts() {
    return certs(config.getTlsRootCertsList(), "tls_root_certs");
  }

  public List<X509Certificate> tlsIntermediateCerts() {
    return certs(config.getTlsIntermediateCertsList(), "tls_intermediate_certs");
  }

  /** Decodes a serialised identity of this MSP (its certificate is parsed, not validated). */
  public Identity deserialize(SerializedIdentity serialized) {
    if (!serialized.getMspid().equals(mspId)) {
      throw new IdentityException(
          Reason.WRONG_MSP, "expected MSP ID " + mspId + ", received " + serialized.getMspid());
    }
    try {
      return new Identity(mspId, Pem.certificate(serialized.getIdBytes().toByteArray()));
    } catch (Pem.PemException e) {
      throw new IdentityException(
          Reason.MALFORMED, "identity of MSP " + mspId + " is not an X.509 certificate", e);
    }
  }

  /**
   * Validates an identity of this MSP.
   *
   * @throws IdentityException with reason UNSUPPORTED_KEY, UNKNOWN_CA, REVOKED, CA_AS_IDENTITY or
   *     NODE_OU
   */
  public void validate(Identity identity) {
    chainOf(identity);
  }

  /** The certification chain of a valid identity, leaf first, root last. */
  public List<X509Certificate> chainOf(Identity identity) {
    if (!identity.mspId().equals(mspId)) {
      throw new IdentityException(
          Reason.WRONG_MSP, "identity of " + identity.mspId() + " validated by MSP " + mspId);
    }
    Validation v = validations.get(identity, this::computeValidation);
    if (v.failure() != null) {
      throw new IdentityException(v.failure().reason(), v.failure().getMessage());
    }
    return v.chain();
  }

  private Validation computeValidation(Identity identity) {
    try {
      X509Certificate cert = identity.certificate();
      checkKeyAlgorithm(identity);
      if (cert.getBasicConstraints() >= 0) {
        throw new IdentityException(
            Reason.CA_AS_IDENTITY,
            "an X.509 certificate with Basic Constraint CA=true cannot be used as an identity: "
                + identity.describe());
      }
      List<X509Certificate> chain = chain(cert, identity.describe());
      checkRevocation(chain, identity.describe());
      checkOus(identity, chain);
      return new Validation(List.copyOf(chain), null);
    } catch (IdentityException e) {
      return new Validation(null, e);
    }
  }

  /**
   * Whether a valid identity satisfies a principal, as Fabric's MSP v1.4.3+ SatisfiesPrincipal.
   *
   * @throws IdentityException naming why it does not
   */
  public void satisfies(Identity identity, MSPPrincipal principal) {
    IdentityException refusal = refusal(identity, principal);
    if (refusal != null) {
      throw new IdentityException(refusal.reason(), refusal.getMessage());
    }
  }

  /**
   * Why a valid identity does not satisfy a principal, or null when it does. Nothing is thrown:
   * policies such as {@code OR('Org1MSP.admin', 'Org1MSP.client')} try a principal that fails for
   * most envelopes, and an exception per envelope would cost more than the cached judgement.
   */
  public IdentityException refusal(Identity identity, MSPPrincipal principal) {
    return judgements.get(new Principalship(identity, principal), this::judge).failure();
  }

  private Judgement judge(Principalship p) {
    try {
      satisfiesUncached(p.identity(), p.principal());
      return new Judgement(null);
    } catch (IdentityException e) {
      return new Judgement(e);
    }
  }

  private void satisfiesUncached(Identity identity, MSPPrincipal principal) {
    try {
      switch (principal.getPrincipalClassification()) {
        case ROLE -> satisfiesRole(identity, MSPRole.parseFrom(principal.getPrincipal()));
        case ORGANIZATION_UNIT ->
            satisfiesOu(identity, OrganizationUnit.parseFrom(principal.getPrincipal()));
        case IDENTITY -> {
          SerializedIdentity wanted = SerializedIdentity.parseFrom(principal.getPrincipal());
          if (!wanted.getMspid().equals(mspId)
              || !Arrays.equals(
                  encoded(identity.certificate()),
                  encoded(Pem.certificate(wanted.getIdBytes().toByteArray())))) {
            throw new IdentityException(
                Reason.NOT_THE_IDENTITY, "the identity is not the one the principal names");
          }
          validate(identity);
        }
        case ANONYMITY -> {
          var anonymity =
              org.hyperledger.fabric.protos.common.MSPIdentityAnonymity.parseFrom(
                  principal.getPrincipal());
          if (anonymity.getAnonymityType()
              != org.hyperledger.fabric.protos.common.MSPIdentityAnonymity.MSPIdentityAnonymityType
                  .NOMINAL) {
            throw new IdentityException(
                Reason.UNSUPPORTED_PRINCIPAL, "X.509 identities are not anonymous");
          }
        }
        case COMBINED -> {
          var combined =
              org.hyperledger.fabric.protos.common.CombinedPrincipal.parseFrom(
                  principal.getPrincipal());
          if (combined.getPrincipalsCount() == 0) {
            throw new IdentityException(Reason.UNSUPPORTED_PRINCIPAL, "empty combined principal");
          }
          for (MSPPrincipal p : combined.getPrincipalsList()) {
            satisfiesUncached(identity, p);
          }
        }
        default ->
            throw new IdentityException(
                Reason.UNSUPPORTED_PRINCIPAL,
                "invalid principal type " + principal.getPrincipalClassificationValue());
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IdentityException(Reason.MALFORMED, "principal does not decode", e);
    }
  }

  private void satisfiesRole(Identity identity, MSPRole role) {
    if (!role.getMspIdentifier().equals(mspId)) {
      throw new IdentityException(
          Reason.WRONG_MSP,
          "the identity is a member of a different MSP (expected "
              + role.getMspIdentifier()
              + ", got "
              + mspId
              + ")");
    }
    Role wanted = Role.of(role.getRole());
    validate(identity);
    switch (wanted) {
      case MEMBER -> {}
      case ADMIN -> {
        if (!isInAdmins(identity) && !hasNodeOu(identity, Role.ADMIN)) {
          throw new IdentityException(
              Reason.WRONG_ROLE, "this identity is not an admin: " + identity.describe());
        }
      }
      case CLIENT, PEER, ORDERER -> {
        if (!nodeOus.enabled()) {
          throw new IdentityException(
              Reason.WRONG_ROLE,
              "NodeOUs not activated in MSP " + mspId + ", cannot tell " + wanted);
        }
        if (!hasNodeOu(identity, wanted)) {
          throw new IdentityException(
              Reason.WRONG_ROLE, "the identity is not a " + wanted + ": " + identity.describe());
        }
      }
    }
  }

  private void satisfiesOu(Identity identity, OrganizationUnit ou) {
    if (!ou.getMspIdentifier().equals(mspId)) {
      throw new IdentityException(
          Reason.WRONG_MSP,
          "the identity is a member of a different MSP (expected " + ou.getMspIdentifier() + ")");
    }
    List<X509Certificate> chain = chainOf(identity);
    byte[] certifiers = certifiersOfIdentity(chain);
    for (String value : ous(identity.certificate())) {
      if (value.equals(ou.getOrganizationalUnitIdentifier())
          && Arrays.equals(certifiers, ou.getCertifiersIdentifier().toByteArray())) {
        return;
      }
    }
    throw new IdentityException(
        Reason.WRONG_OU, "the identity is not part of OU " + ou.getOrganizationalUnitIdentifier());
  }

  private boolean isInAdmins(Identity identity) {
    byte[] der = encoded(identity.certificate());
    for (X509Certificate admin : admins) {
      if (Arrays.equals(der, encoded(admin))) {
        return true;
      }
    }
    return false;
  }

  private boolean hasNodeOu(Identity identity, Role role) {
    if (!nodeOus.enabled()) {
      return false;
    }
    Optional<OuIdentifier> id = nodeOus.of(role);
    if (id.isEmpty()) {
      return false;
    }
    return matches(identity, chainOf(identity), id.get());
  }

  private boolean matches(Identity identity, List<X509Certificate> chain, OuIdentifier id) {
    if (!ous(identity.certificate()).contains(id.ou())) {
      return false;
    }
    return id.certifiersIdentifier().length == 0
        || Arrays.equals(id.certifiersIdentifier(), certifiersOfIdentity(chain));
  }

  private void checkOus(Identity identity, List<X509Certificate> chain) {
    if (!ouIdentifiers.isEmpty()) {
      boolean any = ouIdentifiers.stream().anyMatch(id -> matches(identity, chain, id));
      if (!any) {
        throw new IdentityException(
            Reason.NODE_OU,
            "none of the identity's organizational units are in MSP "
                + mspId
                + ": "
                + identity.describe());
      }
    }
    if (!nodeOus.enabled()) {
      return;
    }
    int count = 0;
    for (Role r : List.of(Role.CLIENT, Role.PEER, Role.ADMIN, Role.ORDERER)) {
      Optional<OuIdentifier> id = nodeOus.of(r);
      if (id.isPresent() && matches(identity, chain, id.get())) {
        count++;
      }
    }
    if (count == 0) {
      throw new IdentityException(
          Reason.NODE_OU,
          "the identity does not have an OU that resolves to client, peer, admin or orderer: "
              + identity.describe());
    }
    if (count > 1) {
      throw new IdentityException(
          Reason.NODE_OU,
          "the identity must be a client, a peer, an orderer or an admin identity to be valid, not a"
              + " combination of them: "
              + identity.describe());
    }
  }

  /**
   * Fabric's MSP (v1.4.3 and later) takes ECDSA and Ed25519 identities only, and refuses any other
   * before it looks at the chain.
   */
  private static void checkKeyAlgorithm(Identity identity) {
    java.security.PublicKey key = identity.certificate().getPublicKey();
    if (!"EC".equals(key.getAlgorithm()) && !Ed25519.isKey(key)) {
      throw new IdentityException(
          Reason.UNSUPPORTED_KEY,
          "could not validate identity's public key algorithm: "
              + key.getAlgorithm()
              + " is not supported: "
              + identity.describe());
    }
  }

  private List<X509Certificate> chain(X509Certificate leaf, String who) {
    // Fabric validates at NotBefore + 1s so that expiry is judged elsewhere, not by the MSP.
    Date at = new Date(leaf.getNotBefore().getTime() + 1000);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    X509Certificate current = leaf;
    for (int depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
      if (depth > 0 && isRoot(current)) {
        return chain;
      }
      X509Certificate issuer = issuerOf(current, at);
      if (issuer == null) {
        throw new IdentityException(
            Reason.UNKNOWN_CA,
            "could not obtain certification chain for "
                + who
                + ": no CA of MSP "
                + mspId
                + " issued "
                + current.getSubjectX500Principal().getName());
      }
      chain.add(issuer);
      if (isRoot(issuer)) {
        return chain;
      }
      current = issuer;
    }
    throw new IdentityException(Reason.UNKNOWN_CA, "certification chain too long for " + who);
  }

  private X509Certificate issuerOf(X509Certificate cert, Date at) {
    List<X509Certificate> candidates = new ArrayList<>(intermediates);
    candidates.addAll(roots);
    for (X509Certificate ca : candidates) {
      if (ca == cert
          || !ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
          || ca.getBasicConstraints() < 0) {
        continue;
      }
      try {
        cert.verify(ca.getPublicKey());
        ca.checkValidity(at);
        return ca;
      } catch (GeneralSecurityException e) {
        // not this CA (or not valid then): try the next candidate
      }
    }
    return null;
  }

  private boolean isRoot(X509Certificate cert) {
    byte[] der = encoded(cert);
    return roots.stream().anyMatch(r -> Arrays.equals(encoded(r), der));
  }

  private void checkRevocation(List<X509Certificate> chain, String who) {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      X509Certificate parent = chain.get(i + 1);
      for (X509CRL crl : crls) {
        if (!crl.getIssuerX500Principal().equals(parent.getSubjectX500Principal())) {
          continue;
        }
        try {
          crl.verify(parent.getPublicKey());
        } catch (GeneralSecurityException e) {
          continue; // a CRL of another CA with the same name: not authoritative here
        }
        if (crl.getRevokedCertificate(cert.getSerialNumber()) != null) {
          throw new IdentityException(
              Reason.REVOKED,
              "the certificate has been revoked: "
                  + cert.getSubjectX500Principal().getName()
                  + " (serial "
                  + cert.getSerialNumber().toString(16)
                  + ", "
                  + who
                  + ")");
        }
      }
    }
  }

  private OuIdentifier ouIdentifier(FabricOUIdentifier id) {
    byte[] certifiers = new byte[0];
    if (!id.getCertificate().isEmpty()) {
      X509Certificate ca = Pem.certificate(id.getCertificate().toByteArray());
      certifiers = certifiersOfCa(ca);
    }
    return new OuIdentifier(id.getOrganizationalUnitIdentifier(), certifiers);
  }

  private Optional<OuIdentifier> optionalOu(boolean present, FabricOUIdentifier id) {
    return present ? Optional.of(ouIdentifier(id)) : Optional.empty();
  }

  /** The certifiers identifier of a CA certificate named in config: hash of its own chain. */
  private byte[] certifiersOfCa(X509Certificate ca) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(ca);
    X509Certificate current = ca;
    Date at = new Date(ca.getNotBefore().getTime() + 1000);
    for (int depth = 0; depth < MAX_CHAIN_DEPTH && !isRoot(current); depth++) {
      X509Certificate issuer = issuerOf(current, at);
      if (issuer == null) {
        throw new IllegalArgumentException(
            "MSP "
                + mspId
                + ": OU certificate "
                + ca.getSubjectX500Principal()
                + " is not one of its CAs");
      }
      chain.add(issuer);
      current = issuer;
    }
    return hashChain(chain);
  }

  private static byte[] certifiersOfIdentity(List<X509Certificate> chain) {
    return hashChain(chain.subList(1, chain.size()));
  }

  private static byte[] hashChain(List<X509Certificate> chain) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (X509Certificate c : chain) {
      all.writeBytes(encoded(c));
    }
    return Hashes.sha256(all.toByteArray());
  }

  /** The values of the subject's OU attributes. */
  static List<String> ous(X509Certificate cert) {
    try {
      List<String> out = new ArrayList<>();
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) {
          out.add(rdn.getValue().toString());
        }
      }
      return out;
    } catch (javax.naming.InvalidNameException e) {
      throw new IdentityException(Reason.MALFORMED, "unparsable subject", e);
    }
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IdentityException(Reason.MALFORMED, "certificate cannot be encoded", e);
    }
  }

  private List<X509Certificate> certs(List<ByteString> pems, String field) {
    List<X509Certificate> out = new ArrayList<>();
    for (ByteString pem : pems) {
      try {
        out.add(Pem.certificate(pem.toByteArray()));
      } catch (Pem.PemException e) {
        throw new IllegalArgumentException(
            "MSP " + mspId + ": " + field + " holds a bad certificate", e);
      }
    }
    return List.copyOf(out);
  }
}
