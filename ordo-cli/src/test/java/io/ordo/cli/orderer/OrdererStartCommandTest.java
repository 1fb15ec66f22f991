package io.ordo.cli.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdererStartCommandTest {
  @Test
  void aMissingConfigIsOneLineNamingTheFileAndExitCode1(@TempDir Path dir) {
    Path missing = dir.resolve("orderer.yaml");
    Cli.Result r = Cli.run("orderer", "start", "--config", missing.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.errLines()).singleElement().asString().contains(missing.toString());
  }

  @Test
  void withoutConfigTheFileIsFoundThroughFabricCfgPath(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("orderer.yaml"), "Bogus: 1\n");
    Cli.Result r = Cli.run(Map.of("FABRIC_CFG_PATH", dir.toString()), false, "orderer", "start");
    assertThat(r.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.errLines()).singleElement().asString().contains("Bogus");
  }

  @Test
  void ordererWithoutSubcommandIsAUsageError() {
    assertThat(Cli.run("orderer").exit()).isEqualTo(ExitCodes.USAGE);
  }
}
