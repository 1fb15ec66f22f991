package io.ordo.cli.genesis;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.cli.YamlErrors;
import io.ordo.cli.client.ChannelIdArguments;
import io.ordo.fabric.genesis.ChannelGroupEncoder;
import io.ordo.fabric.genesis.ConfigtxYaml;
import io.ordo.fabric.genesis.GenesisBlocks;
import io.ordo.fabric.msp.IdentityException;
import io.ordo.fabric.policy.InvalidPolicyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ordo genesis}: configtxgen's {@code -outputBlock}. Encodes a configtx.yaml profile into an
 * application channel's genesis block, as configtxgen does, for Ordo or Fabric's orderer.
 */
@Command(
    name = "genesis",
    mixinStandardHelpOptions = true,
    description = "Write a channel's genesis block from a configtx.yaml profile (configtxgen).")
public final class GenesisCommand implements Callable<Integer> {
  static final String CONFIG_PATH_ENV = "FABRIC_CFG_PATH";
  static final String CONFIGTX_FILE = "configtx.yaml";

  private final CliContext context;
  @Spec private CommandSpec spec;

  @Option(
      names = {"--configPath", "-configPath"},
      paramLabel = "DIR",
      description =
          "The folder holding configtx.yaml (default: $FABRIC_CFG_PATH, else the current folder).")
  private Path configPath;

  @Option(
      names = {"--profile", "-profile"},
      required = true,
      paramLabel = "PROFILE",
      description = "The profile of configtx.yaml to encode.")
  private String profile;

  @Option(
      names = {"--channelID", "-channelID"},
      required = true,
      paramLabel = "CHANNEL",
      description = "The channel the block is the genesis block of.")
  private String channelId;

  @Option(
      names = {"--outputBlock", "-outputBlock"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the genesis block.")
  private Path outputBlock;

  GenesisCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    ChannelIdArguments.check(spec.commandLine(), channelId);
    Path file = configtxFile();
    ConfigtxYaml yaml = read(file);
    checkProfile(yaml);
    ConfigGroup group = encode(yaml);
    Block block = GenesisBlocks.create(channelId, group, new SecureRandom(), Instant.now());
    write(block);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "wrote the genesis block of channel "
            + channelId
            + " (profile "
            + profile
            + " of "
            + file
            + ") to "
            + outputBlock);
    out.flush();
    return 0;
  }

  private Path configtxFile() {
    Path dir;
    String from;
    if (configPath != null) {
      dir = configPath;
      from = "--configPath";
    } else if (context.env(CONFIG_PATH_ENV).isPresent()) {
      dir = context.path(context.env(CONFIG_PATH_ENV).get());
      from = CONFIG_PATH_ENV;
    } else {
      dir = context.cwd();
      from = "the current folder (neither --configPath nor " + CONFIG_PATH_ENV + " is set)";
    }
    Path file = dir.resolve(CONFIGTX_FILE);
    if (!Files.isRegularFile(file)) {
      throw new CommandFailedException("no " + CONFIGTX_FILE + " in " + dir + ", from " + from);
    }
    return InputFiles.readableFile(file, CONFIGTX_FILE);
  }

  private static ConfigtxYaml read(Path file) {
    try {
      return ConfigtxYaml.read(file);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new CommandFailedException(
          YamlErrors.syntaxError(file, e).orElseGet(() -> MessageText.oneLine(e.getMessage())), e);
    }
  }

  private void checkProfile(ConfigtxYaml yaml) {
    if (yaml.root().path("Profiles").path(profile).isObject()) {
      return;
    }
    List<String> known = new ArrayList<>();
    yaml.root().path("Profiles").fieldNames().forEachRemaining(known::add);
    throw new CommandFailedException(
        yaml.file()
            + ": unknown profile '"
            + profile
            + "'"
            + (known.isEmpty() ? ", the file has no Profiles" : "; its profiles: " + known));
  }

  private ConfigGroup encode(ConfigtxYaml yaml) {
    try {
      return new ChannelGroupEncoder(yaml).channelGroup(profile);
    } catch (IllegalArgumentException
        | UncheckedIOException
        | IdentityException
        | InvalidPolicyException e) {
      throw new CommandFailedException(
          yaml.file() + ": profile " + profile + ": " + MessageText.oneLine(e.getMessage()), e);
    }
  }

  private void write(Block block) {
    try {
      Path parent = outputBlock.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(outputBlock, block.toByteArray());
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot write --outputBlock " + outputBlock + ": " + e.getMessage(), e);
    }
  }
}
