package io.ordo.orderer.localnet;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configtx.yaml of a local network on loopback: one orderer org (its nodes' client endpoints as
 * its OrdererEndpoints, where block pullers look) and one application org, etcdraft consenters on
 * 127.0.0.1, under one profile. {@code ordo network up} and the test fixtures write their genesis
 * blocks from it, so what a test proves holds for the network an operator starts.
 *
 * @param profile the profile's name
 * @param crypto the cryptogen-style output folder, as the file should name it (relative paths are
 *     read against the file's folder, as configtxgen reads them)
 * @param orgs the MSP IDs and domains of the two orgs
 * @param consenters the genesis consenters, in raft ID order
 * @param ordererEndpoints host:port of every node's client listener
 * @param batch the BatchTimeout and BatchSize values
 * @param raft the EtcdRaft options
 */
public record LocalConfigtx(
    String profile,
    String crypto,
    Orgs orgs,
    List<Consenter> consenters,
    List<String> ordererEndpoints,
    Batch batch,
    Raft raft) {

  /** The profile name the test fixtures use. */
  public static final String PROFILE = "Channel";

  /** A consenter: its cluster port on 127.0.0.1 and its TLS certificate (client and server). */
  public record Consenter(int clusterPort, String tlsCert) {}

  /** The orderer org's and the application org's MSP IDs and cryptogen domains. */
  public record Orgs(
      String ordererMsp, String ordererDomain, String clientMsp, String clientDomain) {
    /** The names of Fabric's test network, which the tests and {@code network up} use. */
    public static Orgs standard() {
      return new Orgs("OrdererMSP", "example.com", "Org1MSP", "org1.example.com");
    }
  }

  /**
   * BatchTimeout and BatchSize; the byte sizes as configtx.yaml writes them ({@code "10 MB"} or a
   * plain number of bytes).
   */
  public record Batch(
      Duration timeout, int maxMessageCount, String absoluteMaxBytes, String preferredMaxBytes) {
    /** Fabric's sample values: 2 s, 500 messages, 10 MB, 2 MB. */
    public static Batch standard() {
      return new Batch(Duration.ofSeconds(2), 500, "10 MB", "2 MB");
    }
  }

  /** The EtcdRaft options (HeartbeatTick 1 and MaxInflightBlocks 5, as Fabric's sample). */
  public record Raft(Duration tick, int electionTick, String snapshotIntervalSize) {
    /** Fabric's sample values: 500 ms, 10 ticks, 16 MB. */
    public static Raft standard() {
      return new Raft(Duration.ofMillis(500), 10, "16 MB");
    }
  }

  public String yaml() {
    String consenterList =
        consenters.stream()
            .map(
                c ->
                    "      - {Host: 127.0.0.1, Port: "
                        + c.clusterPort()
                        + ", ClientTLSCert: "
                        + c.tlsCert()
                        + ", ServerTLSCert: "
                        + c.tlsCert()
                        + "}")
            .collect(Collectors.joining("\n"));
    String endpoints =
        ordererEndpoints.stream().map(e -> '"' + e + '"').collect(Collectors.joining(", "));
    return """
        Organizations:
          - &OrdererOrg
            Name: OrdererOrg
            ID: %12$s
            MSPDir: %1$s/ordererOrganizations/%13$s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('%12$s.member')"}
              Writers: {Type: Signature, Rule: "OR('%12$s.member')"}
              Admins: {Type: Signature, Rule: "OR('%12$s.admin')"}
            OrdererEndpoints: [%6$s]
          - &Org1
            Name: %14$s
            ID: %14$s
            MSPDir: %1$s/peerOrganizations/%15$s/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('%14$s.admin', '%14$s.peer', '%14$s.client')"}
              Writers: {Type: Signature, Rule: "OR('%14$s.admin', '%14$s.client')"}
              Admins: {Type: Signature, Rule: "OR('%14$s.admin')"}
              Endorsement: {Type: Signature, Rule: "OR('%14$s.peer')"}
        Profiles:
          %10$s:
            Policies:
              Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
              Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
              Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
            Capabilities: {V3_0: true}
            Orderer:
              OrdererType: etcdraft
              BatchTimeout: %2$s
              BatchSize:
                MaxMessageCount: %3$d
                AbsoluteMaxBytes: %7$s
                PreferredMaxBytes: %8$s
              EtcdRaft:
                Consenters:
        %4$s
                Options:
                  TickInterval: %5$s
                  ElectionTick: %9$d
                  HeartbeatTick: 1
                  MaxInflightBlocks: 5
                  SnapshotIntervalSize: %11$s
              Organizations: [*OrdererOrg]
              Policies:
                Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
                Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
                Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
                BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
              Capabilities: {V2_0: true}
            Application:
              Organizations: [*Org1]
              Policies:
                Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
                Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
                Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
                LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
                Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
              Capabilities: {V2_5: true}
        """
        .formatted(
            crypto,
            batch.timeout().toMillis() + "ms",
            batch.maxMessageCount(),
            consenterList.indent(4).stripTrailing(),
            raft.tick().toMillis() + "ms",
            endpoints,
            batch.absoluteMaxBytes(),
            batch.preferredMaxBytes(),
            raft.electionTick(),
            profile,
            raft.snapshotIntervalSize(),
            orgs.ordererMsp(),
            orgs.ordererDomain(),
            orgs.clientMsp(),
            orgs.clientDomain());
  }
}
