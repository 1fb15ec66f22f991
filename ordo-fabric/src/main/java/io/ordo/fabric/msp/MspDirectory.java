package io.ordo.fabric.msp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.msp.FabricCryptoConfig;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;

/**
 * Reads a Fabric-layout msp directory (cacerts, intermediatecerts, admincerts, crls, tlscacerts,
 * tlsintermediatecerts, config.yaml) into the verifying FabricMSPConfig that configtxgen puts in a
 * channel config: every file's bytes verbatim, files in name order.
 */
public final class MspDirectory {
  private MspDirectory() {}

  public static FabricMSPConfig verifyingConfig(Path dir, String mspId) {
    FabricMSPConfig.Builder b =
        FabricMSPConfig.newBuilder()
            .setName(mspId)
            .addAllRootCerts(files(dir.resolve("cacerts")))
            .addAllIntermediateCerts(files(dir.resolve("intermediatecerts")))
            .addAllAdmins(files(dir.resolve("admincerts")))
            .addAllRevocationList(files(dir.resolve("crls")))
            .setCryptoConfig(
                FabricCryptoConfig.newBuilder()
                    .setSignatureHashFamily("SHA2")
                    .setIdentityIdentifierHashFunction("SHA256"))
            .addAllTlsRootCerts(files(dir.resolve("tlscacerts")))
            .addAllTlsIntermediateCerts(files(dir.resolve("tlsintermediatecerts")));
    if (b.getRootCertsCount() == 0) {
      throw new IllegalArgumentException("msp directory " + dir + " has no cacerts");
    }
    Path configYaml = dir.resolve("config.yaml");
    if (Files.exists(configYaml)) {
      readConfigYaml(dir, configYaml, b);
    }
    return b.build();
  }

  private static void readConfigYaml(Path dir, Path file, FabricMSPConfig.Builder b) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable " + file, e);
    }
    if (root == null) {
      return;
    }
    for (JsonNode ou : root.path("OrganizationalUnitIdentifiers")) {
      b.addOrganizationalUnitIdentifiers(ouIdentifier(dir, ou));
    }
    JsonNode nodeOus = root.path("NodeOUs");
    if (!nodeOus.isMissingNode() && !nodeOus.isNull()) {
      FabricNodeOUs.Builder n =
          FabricNodeOUs.newBuilder().setEnable(nodeOus.path("Enable").asBoolean());
      if (nodeOus.has("ClientOUIdentifier")) {
        n.setClientOuIdentifier(ouIdentifier(dir, nodeOus.get("ClientOUIdentifier")));
      }
      if (nodeOus.has("PeerOUIdentifier")) {
        n.setPeerOuIdentifier(ouIdentifier(dir, nodeOus.get("PeerOUIdentifier")));
      }
      if (nodeOus.has("AdminOUIdentifier")) {
        n.setAdminOuIdentifier(ouIdentifier(dir, nodeOus.get("AdminOUIdentifier")));
      }
      if (nodeOus.has("OrdererOUIdentifier")) {
        n.setOrdererOuIdentifier(ouIdentifier(dir, nodeOus.get("OrdererOUIdentifier")));
      }
      b.setFabricNodeOus(n);
    }
  }

  private static FabricOUIdentifier ouIdentifier(Path dir, JsonNode node) {
    FabricOUIdentifier.Builder id =
        FabricOUIdentifier.newBuilder()
            .setOrganizationalUnitIdentifier(node.path("OrganizationalUnitIdentifier").asText(""));
    String cert = node.path("Certificate").asText("");
    if (!cert.isEmpty()) {
      id.setCertificate(ByteString.copyFrom(read(dir.resolve(cert))));
    }
    return id.build();
  }

  static List<ByteString> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      List<ByteString> out = new ArrayList<>();
      s.filter(Files::isRegularFile).sorted().forEach(p -> out.add(ByteString.copyFrom(read(p))));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable folder " + folder, e);
    }
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable file " + p, e);
    }
  }
}
