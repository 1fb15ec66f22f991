package io.ordo.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fabric v3.0's own binaries and sample config, found only through the environment: {@code
 * FABRIC_BIN} (the folder with {@code orderer}, {@code peer}, {@code osnadmin}, {@code
 * configtxgen}, {@code configtxlator}, {@code cryptogen}) and {@code FABRIC_CFG} (the folder with
 * Fabric's unedited {@code orderer.yaml} and {@code core.yaml}). They live beside the project,
 * never in it; a relative value is taken from the repository root, where {@code .ci/run} and a
 * developer run Maven.
 *
 * @param bin the binaries' folder
 * @param config the sample config folder, given to every Fabric and Ordo process as {@code
 *     FABRIC_CFG_PATH}
 */
record FabricBinaries(Path bin, Path config) {
  static final String NOTICE =
      "interop tests skipped: set FABRIC_BIN to the bin/ folder of Fabric v3.0.0's binaries and"
          + " FABRIC_CFG to its config/ folder (sampleconfig) to run them";

  private static final List<String> TOOLS =
      List.of("orderer", "peer", "osnadmin", "configtxgen", "configtxlator", "cryptogen");

  /**
   * The binaries the environment names, or empty when {@code FABRIC_BIN} or {@code FABRIC_CFG} is
   * unset.
   *
   * @throws IllegalStateException when they are set but do not hold what Fabric ships: a wrong path
   *     should fail the run, not skip it
   */
  static Optional<FabricBinaries> fromEnvironment(Map<String, String> env, Path repositoryRoot) {
    String bin = env.getOrDefault("FABRIC_BIN", "");
    String cfg = env.getOrDefault("FABRIC_CFG", "");
    if (bin.isBlank() || cfg.isBlank()) {
      return Optional.empty();
    }
    FabricBinaries f =
        new FabricBinaries(
            repositoryRoot.resolve(bin).toAbsolutePath().normalize(),
            repositoryRoot.resolve(cfg).toAbsolutePath().normalize());
    for (String tool : TOOLS) {
      if (!Files.isExecutable(f.tool(tool))) {
        throw new IllegalStateException(
            "FABRIC_BIN=" + bin + ": no executable " + tool + " in " + f.bin());
      }
    }
    for (String file : List.of("orderer.yaml", "core.yaml")) {
      if (!Files.isRegularFile(f.config().resolve(file))) {
        throw new IllegalStateException("FABRIC_CFG=" + cfg + ": no " + file + " in " + f.config());
      }
    }
    return Optional.of(f);
  }

  Path tool(String name) {
    return bin.resolve(name);
  }
}
