package io.ordo.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.fabric.json.FabricJsonEncoder;
import io.ordo.fabric.json.FabricJsonException;
import java.io.IOException;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ordo config update}: the common changes as flags, or a whole edited config. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = {
      "Change the channel's config in one step: read it, edit it, compute the update as"
          + " configtxlator compute_update does, print the change, check it as the orderer will,"
          + " sign it (--sign-with), submit it and wait for its config block.",
      "Edits: --batch-size, --batch-timeout, --etcdraft-options (together or alone), or --edit"
          + " FILE with the whole edited config as 'ordo config show' prints it."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the config block was written (or, with --output, the update file)",
      "1:a check failed (signatures, stale config, consenters, ...), an input could not be used,"
          + " or the orderer refused; nothing was submitted unless the message says so",
      "2:wrong usage"
    })
final class ConfigUpdateCommand extends ConfigChangeCommand {
  @Option(
      names = "--batch-size",
      paramLabel = "max=N,bytes=SIZE,preferred=SIZE",
      description =
          "BatchSize: MaxMessageCount, AbsoluteMaxBytes, PreferredMaxBytes (any of them; sizes as"
              + " 2MB, 512KB).")
  private String batchSize;

  @Option(
      names = "--batch-timeout",
      paramLabel = "DURATION",
      description = "BatchTimeout (as 2s, 500ms).")
  private String batchTimeout;

  @Option(
      names = "--etcdraft-options",
      paramLabel = "tick=D,election=N,heartbeat=N,inflight=N,snapshot=SIZE",
      description =
          "etcdraft Options: TickInterval, ElectionTick, HeartbeatTick, MaxInflightBlocks,"
              + " SnapshotIntervalSize (any of them).")
  private String raftOptions;

  @Option(
      names = "--edit",
      paramLabel = "FILE",
      description = "The whole edited config as JSON (the output of 'ordo config show', edited).")
  private Path edit;

  ConfigUpdateCommand(CliContext context) {
    super(context);
  }

  @Override
  void checkOptions() {
    boolean flags = batchSize != null || batchTimeout != null || raftOptions != null;
    if (edit != null && flags) {
      throw new ParameterException(
          spec.commandLine(), "--edit takes the whole config: give it without the other edits");
    }
    if (edit == null && !flags) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to change: give --batch-size, --batch-timeout, --etcdraft-options or --edit");
    }
  }

  @Override
  Config edit(CurrentConfig current) {
    if (edit != null) {
      return fromFile(current);
    }
    Config c = current.config();
    if (batchSize != null) {
      c = ConfigEdits.batchSize(c, batchSize);
    }
    if (batchTimeout != null) {
      c = ConfigEdits.batchTimeout(c, batchTimeout);
    }
    if (raftOptions != null) {
      c = ConfigEdits.raftOptions(c, raftOptions);
    }
    return c;
  }

  private Config fromFile(CurrentConfig current) {
    byte[] bytes = InputFiles.read(edit, "edited config");
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(bytes);
    } catch (IOException e) {
      throw new CommandFailedException(
          "edited config " + edit + " is not JSON: " + MessageText.oneLine(e.getMessage()), e);
    }
    Config edited;
    try {
      edited = new FabricJsonEncoder().config(json);
    } catch (FabricJsonException e) {
      throw new CommandFailedException(
          "edited config " + edit + " is not a config: " + MessageText.oneLine(e.getMessage()), e);
    }
    if (!edited.hasChannelGroup()) {
      throw new CommandFailedException(
          "edited config "
              + edit
              + " has no channel_group (it takes the output of 'ordo config show')");
    }
    if (edited.getSequence() != current.sequence()) {
      throw new CommandFailedException(
          "edited config "
              + edit
              + " was read at sequence "
              + edited.getSequence()
              + ", but the channel is now at sequence "
              + current.sequence()
              + ": show the config again and redo the edit; nothing submitted");
    }
    return edited;
  }
}
