package io.ordo.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fabric's command-line tools, each run as its own process with {@code FABRIC_CFG_PATH} on Fabric's
 * config folder (where {@code peer} finds core.yaml), as Fabric's documentation runs them.
 */
final class FabricTools {
  private final FabricBinaries fabric;
  private final ToolRunner runner;

  FabricTools(FabricBinaries fabric, ToolRunner runner) {
    this.fabric = fabric;
    this.runner = runner;
  }

  /** {@code cryptogen generate --config FILE --output DIR}; fails unless it exits 0. */
  void cryptogen(Path cryptoConfig, Path output) {
    run("cryptogen", List.of("generate", "--config", str(cryptoConfig), "--output", str(output)))
        .requireSuccess();
  }

  /** configtxgen's genesis block of {@code profile} in {@code configDir/configtx.yaml}. */
  void configtxgen(Path configDir, String profile, String channel, Path outputBlock) {
    run(
            "configtxgen",
            List.of(
                "-configPath",
                str(configDir),
                "-profile",
                profile,
                "-channelID",
                channel,
                "-outputBlock",
                str(outputBlock)))
        .requireSuccess();
  }

  /** {@code osnadmin ARGS}, whatever it answers. */
  ToolResult osnadmin(List<String> args) {
    return run("osnadmin", args);
  }

  /** {@code configtxlator ARGS}, whatever it answers. */
  ToolResult configtxlator(List<String> args) {
    return run("configtxlator", args);
  }

  /** {@code peer ARGS} as a client, with the given {@code CORE_PEER_*} settings. */
  ToolResult peer(Map<String, String> coreSettings, List<String> args) {
    return run("peer", args, coreSettings);
  }

  private ToolResult run(String tool, List<String> args) {
    return run(tool, args, Map.of());
  }

  private ToolResult run(String tool, List<String> args, Map<String, String> extraEnv) {
    List<String> command = new ArrayList<>();
    command.add(fabric.tool(tool).toString());
    command.addAll(args);
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("FABRIC_CFG_PATH", fabric.config().toString());
    return runner.run(command, env, Stage.TOOL_TIMEOUT);
  }

  private static String str(Path p) {
    return p.toString();
  }
}
