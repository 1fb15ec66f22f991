package io.ordo.cli.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code <dir>/network.json}: what a script or another command needs to use a network started by
 * {@code ordo network up}. Paths in the file are relative to the folder holding it (absolute ones
 * are kept); {@link #resolve(Path)} gives them against that folder.
 *
 * @param channel the application channel the network was started with
 * @param tlsCaFile the PEM CA that issued every node's TLS certificate
 * @param client the client identity to sign transactions and seeks with
 * @param admin the TLS client certificate and key accepted by the nodes' admin (participation) API
 * @param nodes the orderers, in raft ID order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkFile(
    @JsonProperty("channel") String channel,
    @JsonProperty("tls_ca_file") String tlsCaFile,
    @JsonProperty("client") Client client,
    @JsonProperty("admin") Admin admin,
    @JsonProperty("nodes") List<Node> nodes) {
  public static final String FILE_NAME = "network.json";

  public NetworkFile {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /**
   * @param mspDir the client's MSP folder (signcerts, keystore)
   * @param mspId the client organisation's MSP ID
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Client(
      @JsonProperty("msp_dir") String mspDir, @JsonProperty("msp_id") String mspId) {}

  /**
   * @param certFile PEM TLS client certificate for the admin API
   * @param keyFile its PKCS#8 PEM private key
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Admin(
      @JsonProperty("cert_file") String certFile, @JsonProperty("key_file") String keyFile) {}

  /**
   * One orderer; every endpoint is {@code host:port}.
   *
   * @param name the node's name (its TLS certificate's common name)
   * @param raftId its consenter ID in the channel
   * @param client Broadcast and Deliver (General.ListenAddress)
   * @param cluster intra-cluster communication (General.Cluster.ListenAddress)
   * @param adminEndpoint the channel participation API (Admin.ListenAddress)
   * @param operations healthz, metrics (Operations.ListenAddress)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Node(
      @JsonProperty("name") String name,
      @JsonProperty("raft_id") long raftId,
      @JsonProperty("client") String client,
      @JsonProperty("cluster") String cluster,
      @JsonProperty("admin") String adminEndpoint,
      @JsonProperty("operations") String operations) {}

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Reads {@code dir/network.json}. */
  public static NetworkFile read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    byte[] bytes = InputFiles.read(file, "network file");
    NetworkFile n;
    try {
      n = mapper().readValue(bytes, NetworkFile.class);
    } catch (IOException e) {
      String why =
          e instanceof JsonProcessingException j && j.getLocation() != null
              ? "line "
                  + j.getLocation().getLineNr()
                  + ", column "
                  + j.getLocation().getColumnNr()
                  + ": "
                  + MessageText.oneLine(j.getOriginalMessage())
              : MessageText.oneLine(e.getMessage());
      throw new CommandFailedException("network file " + file + " is not valid: " + why, e);
    }
    if (n.channel() == null || n.nodes().isEmpty()) {
      throw new CommandFailedException(
          "network file " + file + " is not valid: it needs \"channel\" and \"nodes\"");
    }
    return n;
  }

  /** Writes this as {@code dir/network.json}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      mapper().writeValue(dir.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  /** A path of this file resolved against its folder {@code dir}; null stays null. */
  public static Path resolve(Path dir, String path) {
    return path == null ? null : dir.resolve(path);
  }

  /**
   * The node called {@code nameOrId}: its full name, the name up to its first dot, or its raft ID.
   *
   * @param file the network file, for the message
   */
  public Node node(String nameOrId, Path file) {
    for (Node n : nodes) {
      String shortName = n.name() == null ? "" : n.name().split("\\.", 2)[0];
      if (nameOrId.equals(n.name())
          || nameOrId.equals(shortName)
          || nameOrId.equals(Long.toString(n.raftId()))) {
        return n;
      }
    }
    throw new CommandFailedException(
        "no node '"
            + nameOrId
            + "' in "
            + file
            + "; it has "
            + String.join(
                ", ",
                nodes.stream().map(n -> n.name() + " (raft ID " + n.raftId() + ")").toList()));
  }

  public List<String> clientEndpoints() {
    return nodes.stream().map(Node::client).filter(Objects::nonNull).toList();
  }
}
