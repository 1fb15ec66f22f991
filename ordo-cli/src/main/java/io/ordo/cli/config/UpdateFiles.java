package io.ordo.cli.config;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.cli.MessageText;
import io.ordo.fabric.configtx.ConfigUpdateEnvelopes;
import io.ordo.fabric.configtx.ConfigUpdateException;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Envelope;

/** Update files: CONFIG_UPDATE envelopes, as Fabric's recipe and {@code --output} write them. */
final class UpdateFiles {
  private UpdateFiles() {}

  static Envelope read(Path file) {
    byte[] bytes = InputFiles.read(file, "update file");
    try {
      Envelope e = Envelope.parseFrom(bytes);
      ConfigUpdateEnvelopes.update(e);
      return e;
    } catch (InvalidProtocolBufferException | ConfigUpdateException e) {
      throw new CommandFailedException(
          "update file "
              + file
              + " is not a CONFIG_UPDATE envelope: "
              + MessageText.oneLine(e.getMessage()),
          e);
    }
  }
}
