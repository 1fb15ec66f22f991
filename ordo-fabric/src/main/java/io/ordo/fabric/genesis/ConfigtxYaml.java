package io.ordo.fabric.genesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A configtx.yaml with its anchors, aliases and merge keys ({@code <<: *Defaults}) resolved, and
 * the folder its relative paths (MSPDir, TLS certificates) are resolved from.
 */
public final class ConfigtxYaml {
  private final Path file;
  private final JsonNode root;

  private ConfigtxYaml(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  public static ConfigtxYaml read(Path file) {
    Object tree;
    try (Reader r = Files.newBufferedReader(file)) {
      // Jackson's own YAML tree keeps aliases as anchor names; the engine's loader expands them
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable configtx file " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    return new ConfigtxYaml(file, new ObjectMapper().valueToTree(tree));
  }

  /** The profile of that name (Profiles.&lt;name&gt;). */
  public JsonNode profile(String name) {
    JsonNode p = root.path("Profiles").path(name);
    if (!p.isObject()) {
      throw new IllegalArgumentException(file + ": no profile " + name);
    }
    return p;
  }

  public JsonNode root() {
    return root;
  }

  /** A path of the file resolved against its folder, as configtxgen does. */
  public Path resolve(String relative) {
    Path p = Path.of(relative);
    return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
  }

  public Path file() {
    return file;
  }
}
