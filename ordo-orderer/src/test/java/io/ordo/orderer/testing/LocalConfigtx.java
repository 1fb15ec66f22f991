package io.ordo.orderer.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configtx.yaml of the local test networks: one orderer org (OrdererMSP, with the nodes' client
 * endpoints as its OrdererEndpoints, where block pullers look) and one application org (Org1MSP),
 * etcdraft consenters on loopback, profile {@link #PROFILE}. Both the in-JVM and the process
 * fixtures write their genesis block from it.
 *
 * @param crypto the cryptogen output folder
 * @param consenters the genesis consenters, in raft ID order
 * @param ordererEndpoints host:port of every node's client listener
 * @param absoluteMaxBytes and preferredMaxBytes: BatchSize values as configtx.yaml writes them
 */
public record LocalConfigtx(
    Path crypto,
    List<Consenter> consenters,
    List<String> ordererEndpoints,
    Duration batchTimeout,
    int maxMessageCount,
    String absoluteMaxBytes,
    String preferredMaxBytes,
    Duration tick,
    int electionTick,
    String snapshotIntervalSize) {

  public static final String PROFILE = "Channel";

  /** A consenter: its cluster port on 127.0.0.1 and its TLS certificate (client and server). */
  public record Consenter(int clusterPort, Path tlsCert) {}

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
            ID: OrdererMSP
            MSPDir: %1$s/ordererOrganizations/example.com/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
              Writers: {Type: Signature, Rule: "OR('OrdererMSP.member')"}
              Admins: {Type: Signature, Rule: "OR('OrdererMSP.admin')"}
            OrdererEndpoints: [%6$s]
          - &Org1
            Name: Org1MSP
            ID: Org1MSP
            MSPDir: %1$s/peerOrganizations/org1.example.com/msp
            Policies:
              Readers: {Type: Signature, Rule: "OR('Org1MSP.admin', 'Org1MSP.peer', 'Org1MSP.client')"}
              Writers: {Type: Signature, Rule: "OR('Org1MSP.admin', 'Org1MSP.client')"}
              Admins: {Type: Signature, Rule: "OR('Org1MSP.admin')"}
              Endorsement: {Type: Signature, Rule: "OR('Org1MSP.peer')"}
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
            batchTimeout.toMillis() + "ms",
            maxMessageCount,
            consenterList.indent(4).stripTrailing(),
            tick.toMillis() + "ms",
            endpoints,
            absoluteMaxBytes,
            preferredMaxBytes,
            electionTick,
            PROFILE,
            snapshotIntervalSize);
  }
}
