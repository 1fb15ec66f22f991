package io.ordo.fabric.cryptogen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A cryptogen crypto-config.yaml: orderer and peer organisations with their nodes and users.
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
   */
  public record Org(String name, String domain, boolean nodeOus, List<Node> nodes, int users) {
    public Org {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One orderer or peer.
   *
   * @param commonName its certificates' CN ({@code hostname.domain} unless set)
   * @param sans its TLS certificate's subject alternative names: CN, hostname, then the extra ones
   */
  public record Node(String hostname, String commonName, List<String> sans) {
    public Node {
      sans = List.copyOf(sans);
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
        nodes.add(
            node(
                spec.path("Hostname").asText(),
                spec.path("CommonName").asText(""),
                domain,
                spec.path("SANS")));
      }
      JsonNode template = o.path("Template");
      int count = template.path("Count").asInt(0);
      int start = template.path("Start").asInt(0);
      String prefix = template.path("Prefix").asText(defaultPrefix);
      for (int i = start; i < start + count; i++) {
        nodes.add(node(prefix + i, "", domain, template.path("SANS")));
      }
      out.add(
          new Org(
              name,
              domain,
              o.path("EnableNodeOUs").asBoolean(false),
              nodes,
              o.path("Users").path("Count").asInt(0)));
    }
    return out;
  }

  private static Node node(String hostname, String commonName, String domain, JsonNode extra) {
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
    return new Node(hostname, cn, List.copyOf(sans));
  }
}
