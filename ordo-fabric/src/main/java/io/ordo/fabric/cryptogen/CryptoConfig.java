package io.ordo.fabric.cryptogen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ordo.fabric.crypto.KeyAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A cryptogen crypto-config.yaml: orderer and peer organisations with their nodes and users, and
 * the {@code PublicKeyAlgorithm} of each CA, node and user set (Fabric v3: "ecdsa", the default, or
 * "ed25519").
 *
 * @param ordererOrgs organisations whose nodes are orderers
 * @param peerOrgs organisations whose nodes are peers
 */
public record CryptoConfig(List<Org> ordererOrgs, List<Org> peerOrgs) {
  public CryptoConfig {
    ordererOrgs = List.copyOf(ordererOrgs);
    peerOrgs = List.copyOf(peerOrgs);
  }

  /**
   * One organisation.
   *
   * @param users how many UserN@domain client users besides Admin@domain
   * @param caAlgorithm the key of its CA and TLS CA ({@code CA.PublicKeyAlgorithm})
   * @param usersAlgorithm the keys of its UserN ({@code Users.PublicKeyAlgorithm}); Admin@domain is
   *     ECDSA whatever it says, as cryptogen makes it
   */
  public record Org(
      String name,
      String domain,
      boolean nodeOus,
      List<Node> nodes,
      int users,
      KeyAlgorithm caAlgorithm,
      KeyAlgorithm usersAlgorithm) {
    public Org {
      nodes = List.copyOf(nodes);
      Objects.requireNonNull(caAlgorithm, "caAlgorithm");
      Objects.requireNonNull(usersAlgorithm, "usersAlgorithm");
    }

    /** An organisation whose keys are all ECDSA. */
    public Org(String name, String domain, boolean nodeOus, List<Node> nodes, int users) {
      this(name, domain, nodeOus, nodes, users, KeyAlgorithm.ECDSA, KeyAlgorithm.ECDSA);
    }
  }

  /**
   * One orderer or peer.
   *
   * @param commonName its certificates' CN ({@code hostname.domain} unless set)
   * @param sans its TLS certificate's subject alternative names: CN, hostname, then the extra ones
   * @param algorithm its signing and TLS keys (the spec's or the Template's {@code
   *     PublicKeyAlgorithm})
   */
  public record Node(
      String hostname, String commonName, List<String> sans, KeyAlgorithm algorithm) {
    public Node {
      sans = List.copyOf(sans);
      Objects.requireNonNull(algorithm, "algorithm");
    }

    /** A node with ECDSA keys. */
    public Node(String hostname, String commonName, List<String> sans) {
      this(hostname, commonName, sans, KeyAlgorithm.ECDSA);
    }
  }

  public static CryptoConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable crypto config " + file, e);
    }
    return new CryptoConfig(
        orgs(root.path("OrdererOrgs"), "orderer"), orgs(root.path("PeerOrgs"), "peer"));
  }

  private static List<Org> orgs(JsonNode list, String defaultPrefix) {
    List<Org> out = new ArrayList<>();
    for (JsonNode o : list) {
      String name = o.path("Name").asText();
      String domain = o.path("Domain").asText();
      if (name.isEmpty() || domain.isEmpty()) {
        throw new IllegalArgumentException("crypto config: an organisation needs Name and Domain");
      }
      List<Node> nodes = new ArrayList<>();
      for (JsonNode spec : o.path("Specs")) {
        String hostname = spec.path("Hostname").asText();
        nodes.add(
            node(
                hostname,
                spec.path("CommonName").asText(""),
                domain,
                spec.path("SANS"),
                algorithm(spec, domain + " spec " + hostname)));
      }
      JsonNode template = o.path("Template");
      int count = template.path("Count").asInt(0);
      int start = template.path("Start").asInt(0);
      String prefix = template.path("Prefix").asText(defaultPrefix);
      KeyAlgorithm templateAlgorithm = algorithm(template, domain + " Template");
      for (int i = start; i < start + count; i++) {
        nodes.add(node(prefix + i, "", domain, template.path("SANS"), templateAlgorithm));
      }
      out.add(
          new Org(
              name,
              domain,
              o.path("EnableNodeOUs").asBoolean(false),
              nodes,
              o.path("Users").path("Count").asInt(0),
              algorithm(o.path("CA"), domain + " CA"),
              algorithm(o.path("Users"), domain + " Users")));
    }
    return out;
  }

  private static KeyAlgorithm algorithm(JsonNode section, String where) {
    return KeyAlgorithm.fromYaml(section.path("PublicKeyAlgorithm").asText(""), where);
  }

  private static Node node(
      String hostname, String commonName, String domain, JsonNode extra, KeyAlgorithm algorithm) {
    if (hostname.isEmpty()) {
      throw new IllegalArgumentException("crypto config: a node of " + domain + " has no Hostname");
    }
    String cn = commonName.isEmpty() ? hostname + "." + domain : commonName;
    LinkedHashSet<String> sans = new LinkedHashSet<>(List.of(cn, hostname));
    for (JsonNode s : extra) {
      sans.add(
          s.asText()
              .replace("{{.Hostname}}", hostname)
              .replace("{{.Domain}}", domain)
              .replace("{{.CommonName}}", cn));
    }
    return new Node(hostname, cn, List.copyOf(sans), algorithm);
  }
}
