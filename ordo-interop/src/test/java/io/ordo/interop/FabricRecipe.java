package io.ordo.interop;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Fabric's six-step recipe for a change of a channel's config, done with Fabric's binaries as
 * Fabric's documentation has an operator do it: {@code peer channel fetch config}, {@code
 * configtxlator proto_decode} of the block, the config cut out of it and edited (jq in the
 * documentation, a Java edit here), {@code proto_encode} of both configs and {@code
 * compute_update}, the update decoded and wrapped in an envelope's JSON and encoded, {@code peer
 * channel signconfigtx} and {@code peer channel update}. Every file stays in the folder given.
 */
final class FabricRecipe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONFIG_BLOCK_TIMEOUT = Duration.ofSeconds(60);

  private final FabricTools tools;
  private final PeerCli admin;
  private final Path tlsCa;

  /**
   * @param admin the {@code peer} CLI of an admin the change's mod_policy accepts
   * @param tlsCa the TLS CA of the orderers
   */
  FabricRecipe(FabricTools tools, PeerCli admin, Path tlsCa) {
    this.tools = tools;
    this.admin = admin;
    this.tlsCa = tlsCa;
  }

  /**
   * What one run of the recipe left.
   *
   * @param configUpdate configtxlator's {@code compute_update} output, a {@code
   *     common.ConfigUpdate}
   * @param envelope the signed envelope {@code peer channel update} submitted
   */
  record Result(Path configUpdate, Path envelope) {}

  /**
   * Runs the recipe on {@code channel} through {@code orderer}, {@code edit} changing the config's
   * JSON in place, and waits until {@code peer channel fetch config} gets the config block it
   * wrote.
   */
  Result change(Path dir, String orderer, String channel, Consumer<ObjectNode> edit) {
    try {
      Files.createDirectories(dir);
      Path blockPb = dir.resolve("config_block.pb");
      admin.fetch("config", blockPb, orderer, channel, tlsCa).requireSuccess();
      long before = Block.parseFrom(Files.readAllBytes(blockPb)).getHeader().getNumber();

      JsonNode block = decode(blockPb, "common.Block");
      ObjectNode config = (ObjectNode) block.at("/data/data/0/payload/data/config");
      Path configJson = write(dir.resolve("config.json"), config);
      ObjectNode modified = config.deepCopy();
      edit.accept(modified);
      Path modifiedJson = write(dir.resolve("modified_config.json"), modified);

      Path configPb = encode(configJson, "common.Config", dir.resolve("config.pb"));
      Path modifiedPb = encode(modifiedJson, "common.Config", dir.resolve("modified_config.pb"));
      Path updatePb = dir.resolve("config_update.pb");
      configtxlator(
          "compute_update",
          "--channel_id",
          channel,
          "--original",
          configPb.toString(),
          "--updated",
          modifiedPb.toString(),
          "--output",
          updatePb.toString());

      ObjectNode envelope = JSON.createObjectNode();
      ObjectNode payload = envelope.putObject("payload");
      payload
          .putObject("header")
          .putObject("channel_header")
          .put("channel_id", channel)
          .put("type", 2);
      payload.putObject("data").set("config_update", decode(updatePb, "common.ConfigUpdate"));
      Path envelopeJson = write(dir.resolve("config_update_in_envelope.json"), envelope);
      Path envelopePb =
          encode(envelopeJson, "common.Envelope", dir.resolve("config_update_in_envelope.pb"));

      admin.signConfigTx(envelopePb).requireSuccess();
      admin.update(envelopePb, orderer, channel, tlsCa).requireSuccess();
      awaitConfigBlockAfter(before, dir, orderer, channel);
      return new Result(updatePb, envelopePb);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest config block of {@code channel} as {@code peer channel fetch config} gets it. */
  Block fetchConfigBlock(Path dir, String orderer, String channel) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("fetched_config_block.pb");
      admin.fetch("config", file, orderer, channel, tlsCa).requireSuccess();
      return Block.parseFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitConfigBlockAfter(long before, Path dir, String orderer, String channel) {
    await()
        .atMost(CONFIG_BLOCK_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> fetchConfigBlock(dir, orderer, channel).getHeader().getNumber(), n -> n > before);
  }

  private JsonNode decode(Path input, String type) throws IOException {
    return JSON.readTree(
        configtxlator("proto_decode", "--type", type, "--input", input.toString()).out());
  }

  private Path encode(Path input, String type, Path output) {
    configtxlator(
        "proto_encode", "--type", type, "--input", input.toString(), "--output", output.toString());
    return output;
  }

  private ToolResult configtxlator(String... args) {
    return tools.configtxlator(List.of(args)).requireSuccess();
  }

  private static Path write(Path file, JsonNode json) throws IOException {
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    return file;
  }
}
