package io.ordo.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * configtxgen's input for an interop channel, profile {@value #PROFILE}: the orderer org and Org1
 * of {@link CryptoConfigYaml} (paths relative to the file, under {@code crypto/}), capabilities of
 * a v3.0 network, one etcdraft consenter per orderer (its cluster port and TLS certificate), the
 * orderer org's endpoints on the client ports.
 */
final class ConfigtxYaml {
  static final String PROFILE = "InteropChannel";

  /**
   * One consenter.
   *
   * @param clusterPort where its Step service listens
   * @param clientPort its Broadcast and Deliver port, listed as an orderer endpoint
   * @param tlsCert its TLS certificate, relative to the file
   */
  record Consenter(int clusterPort, int clientPort, String tlsCert) {}

  /**
   * The channel's settings that tests vary.
   *
   * @param snapshotIntervalSize etcdraft's SnapshotIntervalSize ({@code 16 MB}, {@code 1 MB})
   * @param secondOrdererOrg whether the orderer group has a second org, OrdererOrg2 ({@code
   *     OrdererMSP2}, its admin only, no orderer of its own), so that /Channel/Orderer/Admins
   *     (MAJORITY) needs both orgs' admins
   */
  record Options(String snapshotIntervalSize, boolean secondOrdererOrg) {
    static Options defaults() {
      return new Options("16 MB", false);
    }

    Options withSecondOrdererOrg() {
      return new Options(snapshotIntervalSize, true);
    }
  }

  private ConfigtxYaml() {}

  /**
   * OrdererOrg2 of {@link CryptoConfigYaml#SECOND_DOMAIN}; it lists the first org's endpoints, as
   * an org without orderers of its own would point its clients at them.
   */
  private static String secondOrg(String endpoints) {
    return """
          - &OrdererOrg2
            Name: OrdererOrg2
            ID: OrdererMSP2
            MSPDir: crypto/ordererOrganizations/%s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('OrdererMSP2.member')"}
              Writers: {Type: Signature, Rule: "OR('OrdererMSP2.member')"}
              Admins: {Type: Signature, Rule: "OR('OrdererMSP2.admin')"}
            OrdererEndpoints: [%s]
        """
            .formatted(CryptoConfigYaml.SECOND_DOMAIN, endpoints)
            .stripTrailing()
        + "\n";
  }

  static Path write(Path dir, List<Consenter> consenters, Options options) {
    String org = "crypto/ordererOrganizations/example.com";
    String endpoints =
        consenters.stream()
            .map(c -> "\"127.0.0.1:" + c.clientPort() + "\"")
            .collect(Collectors.joining(", "));
    StringBuilder raft = new StringBuilder();
    for (Consenter c : consenters) {
      raft.append("      - {Host: 127.0.0.1, Port: ")
          .append(c.clusterPort())
          .append(", ClientTLSCert: ")
          .append(c.tlsCert())
          .append(", ServerTLSCert: ")
          .append(c.tlsCert())
          .append("}\n");
    }
    String yaml =
        """
        Organizations:
          - &OrdererOrg
            Name: OrdererOrg
            ID: OrdererMSP
            MSPDir: %s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
              Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
              Admins: {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
            OrdererEndpoints: [%s]
        %s  - &Org1
            Name: Org1MSP
            ID: Org1MSP
            MSPDir: crypto/peerOrganizations/org1.example.com/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('Org1MSP.admin', 'Org1MSP.peer', 'Org1MSP.client')"}
              Writers: {Type: Signature, Rule: "OR('Org1MSP.admin', 'Org1MSP.client')"}
              Admins: {Type: Signature, Rule: "OR('Org1MSP.admin')"}
              Endorsement: {Type: Signature, Rule: "OR('Org1MSP.peer')"}
        Capabilities:
          Channel: &ChannelCapabilities {V3_0: true}
          Orderer: &OrdererCapabilities {V2_0: true}
          Application: &ApplicationCapabilities {V2_5: true}
        Application: &ApplicationDefaults
          Organizations:
          Policies:
            Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
            Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
            Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
            LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
            Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
          Capabilities: *ApplicationCapabilities
        Orderer: &OrdererDefaults
          OrdererType: etcdraft
          BatchTimeout: 500ms
          BatchSize:
            MaxMessageCount: 100
            AbsoluteMaxBytes: 10 MB
            PreferredMaxBytes: 2 MB
          EtcdRaft:
            Consenters:
        %s    Options:
              TickInterval: 500ms
              ElectionTick: 10
              HeartbeatTick: 1
              MaxInflightBlocks: 5
              SnapshotIntervalSize: %s
          Organizations:
          Policies:
            Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
            Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
            Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
            BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
          Capabilities: *OrdererCapabilities
        Channel: &ChannelDefaults
          Policies:
            Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
            Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
            Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
          Capabilities: *ChannelCapabilities
        Profiles:
          %s:
            <<: *ChannelDefaults
            Orderer:
              <<: *OrdererDefaults
              Organizations: [*OrdererOrg%s]
            Application:
              <<: *ApplicationDefaults
              Organizations: [*Org1]
        """
            .formatted(
                org,
                endpoints,
                options.secondOrdererOrg() ? secondOrg(endpoints) : "",
                raft,
                options.snapshotIntervalSize(),
                PROFILE,
                options.secondOrdererOrg() ? ", *OrdererOrg2" : "");
    Path file = dir.resolve("configtx.yaml");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
