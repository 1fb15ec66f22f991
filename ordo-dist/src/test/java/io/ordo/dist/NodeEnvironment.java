package io.ordo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.orderer.config.LocalConfig;
import io.ordo.orderer.config.LocalConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a deployment hands a node: the environment of the image (deploy/image/image.env) with a
 * manifest's own variables over it, read by Ordo's own loader over the orderer.yaml the image and
 * the release carry, so that a manifest is checked against what the node would read.
 */
final class NodeEnvironment {
  private NodeEnvironment() {}

  static Map<String, String> imageEnv() throws IOException {
    return parse(Files.readAllLines(Repo.file("deploy/image/image.env")));
  }

  /** {@code VAR=value} lines; blank lines and comments are skipped. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      assertThat(eq).as("not VAR=value: %s", l).isPositive();
      env.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return env;
  }

  /** Every {@code ORDERER_*} variable names a key of orderer.yaml (Fabric ignores others). */
  static void assertKnown(String where, Map<String, String> env) {
    env.keySet().stream()
        .filter(k -> k.startsWith("ORDERER_"))
        .forEach(
            k ->
                assertThat(LocalConfigLoader.keyOfEnvironmentVariable(k))
                    .as("%s sets %s, which names no orderer.yaml key", where, k)
                    .isPresent());
  }

  /** The sample orderer.yaml (the image's /etc/hyperledger/fabric/orderer.yaml) under env. */
  static LocalConfig load(Map<String, String> env) {
    Path file = Repo.file("ordo-dist/src/dist/config/orderer.yaml");
    return new LocalConfigLoader(env, file.getParent()).read(file);
  }

  static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
