package io.ordo.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An orderer.yaml that sets every key Fabric v3.0's orderer reads, with Fabric's default or sample
 * values, the deprecated {@code General.GenesisMethod}, {@code General.GenesisFile} and {@code
 * FileLedger.Prefix} included: ordo-orderer's test resource {@value #SOURCE}, which its
 * LocalConfigLoaderTest loads in the default suite. Fabric refuses a file with a key it does not
 * know, so its orderer starting from this file shows the file holds only Fabric's keys; the keys
 * Fabric prints at start-up show it holds all of them.
 */
final class EveryKeyOrdererYaml {
  static final String SOURCE = "ordo-orderer/src/test/resources/config/orderer-every-key.yaml";

  /**
   * Names Fabric prints from its Go structs where the YAML key differs (the BCCSP factory's own
   * field names).
   */
  private static final Map<String, String> PRINTED_AS =
      Map.of(
          "general.bccsp.sw.filekeystore.keystorepath", "general.bccsp.sw.filekeystore.keystore");

  private EveryKeyOrdererYaml() {}

  /** The file as it is, as {@code DIR/orderer.yaml}. */
  static Path write(Path dir) {
    return writeFile(dir, source());
  }

  /**
   * The file without {@code BootstrapMethod} and with {@code GenesisMethod: file}: the system
   * channel bootstrap asked for through the deprecated key, which Fabric v3.0 refuses.
   */
  static Path writeDeprecatedFileBootstrap(Path dir) {
    String yaml = source();
    String edited =
        yaml.replace("  BootstrapMethod: none\n", "")
            .replace("  GenesisMethod: none\n", "  GenesisMethod: file\n");
    if (edited.contains("BootstrapMethod") || !edited.contains("GenesisMethod: file")) {
      throw new IllegalStateException(SOURCE + " no longer has the lines this test edits");
    }
    return writeFile(dir, edited);
  }

  private static String source() {
    try {
      return Files.readString(StageExtension.repositoryRoot().resolve(SOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path writeFile(Path dir, String yaml) {
    Path file = dir.resolve("orderer.yaml");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The dotted keys of the file, lower-cased, sections included. */
  static Set<String> keys(Path file) {
    try {
      Set<String> out = new TreeSet<>();
      collect(new YAMLMapper().readTree(file.toFile()), "", out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collect(JsonNode node, String prefix, Set<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = (prefix.isEmpty() ? "" : prefix + ".") + f.getKey().toLowerCase(Locale.ROOT);
      out.add(key);
      if (f.getValue().isObject()) {
        collect(f.getValue(), key, out);
      }
    }
  }

  /** A key as Fabric prints it at start-up ({@code General.TLS.Enabled}), as the YAML names it. */
  static String yamlKey(String printed) {
    String lower = printed.toLowerCase(Locale.ROOT);
    return PRINTED_AS.getOrDefault(lower, lower);
  }
}
