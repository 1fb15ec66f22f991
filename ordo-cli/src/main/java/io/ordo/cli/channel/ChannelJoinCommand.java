package io.ordo.cli.channel;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.client.ChannelIdArguments;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo channel join}: osnadmin's; POSTs a config block to the participation API. */
@Command(
    name = "join",
    mixinStandardHelpOptions = true,
    description = {
      "Join an orderer to a channel with a config block (the genesis block, or a later config block"
          + " to onboard from): POST /participation/v1/channels.",
      "Prints the HTTP status and the JSON answer as osnadmin does."
    })
public final class ChannelJoinCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec private CommandSpec spec;
  @Mixin private AdminOptions admin;

  @Option(
      names = {"-c", "--channelID"},
      required = true,
      paramLabel = "C",
      description = "The channel ID; must be the config block's.")
  private String channel;

  @Option(
      names = {"-b", "--config-block"},
      required = true,
      paramLabel = "FILE",
      description = "The channel's config block (e.g. from 'ordo genesis').")
  private Path configBlock;

  ChannelJoinCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    ChannelIdArguments.check(spec.commandLine(), channel);
    byte[] block = InputFiles.read(configBlock, "config block");
    String inBlock = channelOf(block);
    if (!inBlock.equals(channel)) {
      throw new CommandFailedException(
          "--channelID "
              + channel
              + " does not match channel "
              + inBlock
              + " of config block "
              + configBlock);
    }
    return AdminCalls.run(
        spec.commandLine(), context, admin, (client, at) -> client.join(at, channel, block));
  }

  private String channelOf(byte[] bytes) {
    try {
      Block b = Block.parseFrom(bytes);
      if (!b.hasHeader() || b.getData().getDataCount() == 0) {
        throw new CommandFailedException(configBlock + " is not a block with data");
      }
      Envelope e = Envelope.parseFrom(b.getData().getData(0));
      Payload p = Payload.parseFrom(e.getPayload());
      return ChannelHeader.parseFrom(p.getHeader().getChannelHeader()).getChannelId();
    } catch (InvalidProtocolBufferException e) {
      throw new CommandFailedException(
          configBlock + " is not a block (" + bytes.length + " bytes that do not decode)", e);
    }
  }
}
