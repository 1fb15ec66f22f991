package io.ordo.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordo.fabric.configtx.ConfigElement;
import io.ordo.fabric.configtx.ConfigMap;
import io.ordo.fabric.crypto.Hashes;
import io.ordo.fabric.json.FabricJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * A short diff of two configs for an operator: one line per changed leaf of a value or policy
 * ({@code /Channel/Orderer/BatchSize max_message_count: 500 -> 100}), a line per element added or
 * removed, etcdraft consenters by their host:port, long texts (certificates) by length and hash.
 */
final class ConfigDiff {
  private static final int LONGEST_SHOWN = 60;
  private final FabricJson json = new FabricJson();

  List<String> lines(Config before, Config after) {
    Map<String, ConfigElement> a = ConfigMap.of(before.getChannelGroup(), "Channel");
    Map<String, ConfigElement> b = ConfigMap.of(after.getChannelGroup(), "Channel");
    List<String> out = new ArrayList<>();
    for (String key : new TreeSet<>(union(a, b))) {
      ConfigElement x = a.get(key);
      ConfigElement y = b.get(key);
      ConfigElement any = x != null ? x : y;
      String what = any.kind().name().toLowerCase(java.util.Locale.ROOT);
      if (x == null) {
        out.add("+ " + what + " " + y.path());
        if (y.kind() != ConfigElement.Kind.GROUP) {
          leaves(y).forEach((k, v) -> out.add("    " + k + ": " + v));
        }
        continue;
      }
      if (y == null) {
        out.add("- " + what + " " + x.path());
        continue;
      }
      if (x.kind() == ConfigElement.Kind.GROUP) {
        if (!x.modPolicy().equals(y.modPolicy())) {
          out.add("~ " + x.path() + " mod_policy: " + x.modPolicy() + " -> " + y.modPolicy());
        }
        continue;
      }
      Map<String, String> l = leaves(x);
      Map<String, String> r = leaves(y);
      for (String leaf : new TreeSet<>(union(l, r))) {
        String old = l.get(leaf);
        String neu = r.get(leaf);
        if (!Objects.equals(old, neu)) {
          out.add(
              "~ "
                  + x.path()
                  + " "
                  + leaf
                  + ": "
                  + (old == null ? "(none)" : old)
                  + " -> "
                  + (neu == null ? "(none)" : neu));
        }
      }
    }
    return out;
  }

  private static <T> java.util.Set<String> union(Map<String, T> a, Map<String, T> b) {
    java.util.Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private Map<String, String> leaves(ConfigElement e) {
    JsonNode node =
        switch (e.element()) {
          case ConfigValue v -> json.valueJson(e.name(), v);
          case ConfigPolicy p -> json.policyJson(p);
          default -> null;
        };
    Map<String, String> flat = new TreeMap<>();
    if (node != null) {
      flatten(node, "", flat);
    }
    flat.remove("version");
    // a value's fields are what an operator changes: shown without the wrapper's "value."
    Map<String, String> out = new TreeMap<>();
    flat.forEach((k, v) -> out.put(k.startsWith("value.") ? k.substring(6) : k, v));
    return out;
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        String name = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
        if (f.getKey().equals("consenters") && f.getValue().isArray()) {
          for (JsonNode c : f.getValue()) {
            flatten(
                c, name + "[" + c.path("host").asText() + ":" + c.path("port").asText() + "]", out);
          }
        } else {
          flatten(f.getValue(), name, out);
        }
      }
    } else if (node.isArray()) {
      Map<String, String> items = new LinkedHashMap<>();
      for (int i = 0; i < node.size(); i++) {
        flatten(node.get(i), prefix + "[" + i + "]", items);
      }
      boolean scalars = true;
      for (JsonNode n : node) {
        scalars &= n.isValueNode();
      }
      if (scalars) {
        List<String> values = new ArrayList<>();
        node.forEach(n -> values.add(shown(n.asText())));
        out.put(prefix, "[" + String.join(", ", values) + "]");
      } else {
        out.putAll(items);
      }
    } else if (!node.isNull()) {
      out.put(prefix, shown(node.asText()));
    }
  }

  /** A long text (a certificate, a key) as its length and the start of its SHA-256. */
  private static String shown(String text) {
    if (text.length() <= LONGEST_SHOWN) {
      return text;
    }
    byte[] hash = Hashes.sha256(text.getBytes(StandardCharsets.UTF_8));
    return "<" + text.length() + " chars, sha256 " + HexFormat.of().formatHex(hash, 0, 6) + ">";
  }
}
