package io.ordo.orderer.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of orderer.yaml after the {@code ORDERER_*} environment was laid over it, still as
 * text: each declared leaf key maps to a string, a list of strings, or nothing (null or absent).
 */
final class RawConfig {
  /**
   * A raw value and where it came from, for error messages.
   *
   * @param value a String, a List of String, or null for a key present without a value
   */
  record Value(Object value, String origin) {}

  private final Map<String, Value> values;

  private RawConfig(Map<String, Value> values) {
    this.values = Map.copyOf(values);
  }

  Optional<Value> get(String canonicalKey) {
    return Optional.ofNullable(values.get(canonicalKey));
  }

  /**
   * Checks every key of the YAML tree against the schema and lays the environment over it.
   *
   * @param fileName for error messages
   */
  static RawConfig of(
      JsonNode root, ConfigSchema schema, Map<String, String> env, String fileName) {
    Map<String, Value> values = new HashMap<>();
    if (root != null && !root.isNull() && !root.isMissingNode()) {
      if (!root.isObject()) {
        throw new LocalConfigException(fileName, "the top level is not a mapping of sections");
      }
      walk(root, "", schema, values, fileName);
    }
    for (ConfigSchema.Key k : schema.keys()) {
      if (k.type() == KeyType.SECTION || k.type() == KeyType.OPAQUE) {
        continue;
      }
      String override = env.get(k.envName());
      if (override == null || (k.envOnlyIfInFile() && !values.containsKey(k.name()))) {
        continue;
      }
      values.put(k.name(), new Value(override, "environment variable " + k.envName()));
    }
    return new RawConfig(values);
  }

  private static void walk(
      JsonNode section,
      String prefix,
      ConfigSchema schema,
      Map<String, Value> values,
      String fileName) {
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String written = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      ConfigSchema.Key key =
          schema
              .find(written)
              .orElseThrow(() -> new LocalConfigException(written, "unknown key in " + fileName));
      JsonNode node = field.getValue();
      String origin = fileName;
      switch (key.type()) {
        case OPAQUE -> {}
        case SECTION -> {
          if (node.isObject()) {
            walk(node, key.name(), schema, values, fileName);
          } else if (!node.isNull()) {
            throw new LocalConfigException(key.name(), "must be a section, found a value");
          }
        }
        default -> values.put(key.name(), new Value(leaf(key.name(), node), origin));
      }
    }
  }

  private static Object leaf(String key, JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      throw new LocalConfigException(key, "must be a value, found a section");
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        if (item.isContainerNode()) {
          throw new LocalConfigException(key, "list items must be plain values");
        }
        items.add(item.isNull() ? "" : item.asText());
      }
      return List.copyOf(items);
    }
    return node.asText();
  }
}
