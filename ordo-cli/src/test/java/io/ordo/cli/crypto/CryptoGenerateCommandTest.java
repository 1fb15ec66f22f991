package io.ordo.cli.crypto;

import static io.ordo.cli.ExpectedErrors.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.TestData;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.FabricMsp;
import io.ordo.fabric.msp.LocalSigningIdentity;
import io.ordo.fabric.msp.MspDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoGenerateCommandTest {
  private static final Path CONFIG = TestData.network().resolve("crypto-config.yaml");
  private static final Ecdsa ECDSA = new Ecdsa(CryptoProvider.jdk());

  /** The one-line error of {@code ordo crypto generate} for {@code config}, or a failed test. */
  private static String generateError(Path config, Path output) {
    return assertOneLineError(
        Cli.run("crypto", "generate", "--config", config.toString(), "--output", output.toString()),
        ExitCodes.ERROR);
  }

  @Test
  void theGeneratedMaterialLoadsAsTheOrgsMspsAndSigningIdentities(@TempDir Path dir) {
    Path out = dir.resolve("crypto");
    Cli.Result r =
        Cli.run("crypto", "generate", "--config", CONFIG.toString(), "--output", out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("example.com").contains("org1.example.com");
    Path ordererOrg = out.resolve("ordererOrganizations/example.com");
    FabricMsp ordererMsp =
        new FabricMsp(MspDirectory.verifyingConfig(ordererOrg.resolve("msp"), "OrdererMSP"));
    for (String node : new String[] {"orderer1", "orderer2", "orderer3"}) {
      LocalSigningIdentity orderer =
          LocalSigningIdentity.load(
              ordererOrg.resolve("orderers/" + node + ".example.com/msp"), "OrdererMSP", ECDSA);
      ordererMsp.validate(orderer.identity());
      ordererMsp.satisfies(orderer.identity(), role("OrdererMSP", MSPRole.MSPRoleType.ORDERER));
      assertThat(ordererOrg.resolve("orderers/" + node + ".example.com/tls/server.key"))
          .isRegularFile();
    }
    Path peerOrg = out.resolve("peerOrganizations/org1.example.com");
    FabricMsp org1 = new FabricMsp(MspDirectory.verifyingConfig(peerOrg.resolve("msp"), "Org1MSP"));
    LocalSigningIdentity user =
        LocalSigningIdentity.load(
            peerOrg.resolve("users/User1@org1.example.com/msp"), "Org1MSP", ECDSA);
    org1.satisfies(user.identity(), role("Org1MSP", MSPRole.MSPRoleType.CLIENT));
  }

  @Test
  void theOutputFolderDefaultsToCryptogensName() {
    var spec =
        io.ordo.cli.OrdoCommand.commandLine(new io.ordo.cli.CliContext(java.util.Map.of(), false))
            .getSubcommands()
            .get("crypto")
            .getSubcommands()
            .get("generate")
            .getCommandSpec();
    assertThat(spec.findOption("--output").defaultValue()).isEqualTo("crypto-config");
  }

  @Test
  void aMissingConfigFileIsOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    String err = generateError(missing, dir);
    assertThat(err).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void badYamlIsReportedWithItsLineNumber(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("crypto-config.yaml");
    Files.writeString(bad, "OrdererOrgs:\n  - Name: Orderer\n    Domain: example.com: oops\n");
    String err = generateError(bad, dir.resolve("o"));
    assertThat(err)
        .contains(bad.toString())
        .contains("not valid YAML")
        .contains("at line 3, column 24: mapping values are not allowed here");
  }

  @Test
  void aConfigWithoutOrgsIsRefused(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("crypto-config.yaml");
    Files.writeString(empty, "Something: else\n");
    String err = generateError(empty, dir.resolve("o"));
    assertThat(err).contains("no OrdererOrgs and no PeerOrgs");
  }

  @Test
  void withoutConfigTheUsageErrorNamesTheFlag() {
    String err = assertOneLineError(Cli.run("crypto", "generate"), ExitCodes.USAGE);
    assertThat(err).contains("--config").contains("ordo crypto generate --help");
  }

  private static MSPPrincipal role(String mspId, MSPRole.MSPRoleType role) {
    return MSPPrincipal.newBuilder()
        .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
        .setPrincipal(
            MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString())
        .build();
  }
}
