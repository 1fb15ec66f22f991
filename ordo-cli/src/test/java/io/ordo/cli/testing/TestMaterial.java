package io.ordo.cli.testing;

import io.ordo.fabric.cryptogen.CryptoConfig;
import io.ordo.fabric.cryptogen.NetworkMaterial;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * cryptogen-layout material for a loopback orderer (TLS certificate valid for 127.0.0.1 and
 * localhost) and a client user, made by ordo-fabric's {@link NetworkMaterial}.
 */
public record TestMaterial(Path root) {
  public static final String CLIENT_MSP_ID = "Org1MSP";

  public static TestMaterial generate(Path dir) {
    String cn = "orderer1.example.com";
    CryptoConfig config =
        new CryptoConfig(
            List.of(
                new CryptoConfig.Org(
                    "Orderer",
                    "example.com",
                    true,
                    List.of(
                        new CryptoConfig.Node(
                            "orderer1", cn, List.of(cn, "orderer1", "localhost", "127.0.0.1"))),
                    0)),
            List.of(new CryptoConfig.Org("Org1", "org1.example.com", true, List.of(), 1)));
    new NetworkMaterial(new SecureRandom(), Instant.now().minusSeconds(3600)).write(config, dir);
    return new TestMaterial(dir);
  }

  private Path orderer() {
    return root.resolve("ordererOrganizations/example.com/orderers/orderer1.example.com/tls");
  }

  public Path tlsCa() {
    return orderer().resolve("ca.crt");
  }

  public Path serverCert() {
    return orderer().resolve("server.crt");
  }

  public Path serverKey() {
    return orderer().resolve("server.key");
  }

  public Path clientMsp() {
    return root.resolve("peerOrganizations/org1.example.com/users/User1@org1.example.com/msp");
  }

  /** {@code --ca}, {@code --msp} and {@code --mspid} of the client this material holds. */
  public List<String> clientFlags() {
    return List.of(
        "--ca", tlsCa().toString(), "--msp", clientMsp().toString(), "--mspid", CLIENT_MSP_ID);
  }
}
