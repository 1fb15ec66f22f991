package io.ordo.cli.config;

import com.google.protobuf.ByteString;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.InputFiles;
import io.ordo.fabric.crypto.Pem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The consenter a command adds, removes or rotates, and the orderer endpoints that go with it. */
final class ConsenterOptions {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      required = true,
      description = "The consenter's cluster host, as in the channel's consenter list.")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      required = true,
      description = "Its cluster port (General.Cluster.ListenPort).")
  int port;

  @Option(
      names = "--org",
      paramLabel = "NAME",
      description = "The orderer organization whose endpoints change (default: the only one).")
  String org;

  @Option(
      names = "--orderer-endpoint",
      paramLabel = "HOST:PORT",
      split = ",",
      description =
          "The node's client endpoint (General.ListenAddress:ListenPort), added to or removed from"
              + " the organization's OrdererEndpoints in the same update, as Fabric's docs do.")
  List<String> ordererEndpoints = new ArrayList<>();

  static ByteString pem(Path file, String what) {
    byte[] bytes = InputFiles.read(file, what);
    try {
      Pem.certificate(bytes);
    } catch (Pem.PemException e) {
      throw new CommandFailedException(what + " " + file + " is not a PEM certificate", e);
    }
    return ByteString.copyFrom(bytes);
  }

  void check() {
    if (port <= 0 || port > 65535) {
      throw new CommandFailedException("--port " + port + " is not a port (1 to 65535)");
    }
    for (String e : ordererEndpoints) {
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new CommandFailedException("--orderer-endpoint '" + e + "' is not HOST:PORT");
      }
    }
  }
}
