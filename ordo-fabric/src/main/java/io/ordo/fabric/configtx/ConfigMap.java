package io.ordo.fabric.configtx;

import io.ordo.fabric.configtx.ConfigElement.Kind;
import io.ordo.fabric.configtx.ConfigUpdateException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * A config tree flattened to its elements by key, and back: the form in which Fabric compares read
 * sets, write sets and the current config.
 */
public final class ConfigMap {
  static final int MAX_ID_LENGTH = 249;
  private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9.\\-_]+");

  private ConfigMap() {}

  /**
   * Every element of the tree rooted at {@code root} named {@code rootName}, by key.
   *
   * @throws ConfigUpdateException INVALID_NAME when an element name is not a legal config ID
   */
  public static Map<String, ConfigElement> of(ConfigGroup root, String rootName) {
    Map<String, ConfigElement> out = new TreeMap<>();
    add(out, new ConfigElement(Kind.GROUP, List.of(), rootName, root));
    return out;
  }

  private static void add(Map<String, ConfigElement> out, ConfigElement group) {
    checkId(group.name(), group.path());
    out.put(group.key(), group);
    List<String> path = new ArrayList<>(group.parentPath());
    path.add(group.name());
    ConfigGroup g = group.group();
    for (var e : g.getValuesMap().entrySet()) {
      put(out, new ConfigElement(Kind.VALUE, path, e.getKey(), e.getValue()));
    }
    for (var e : g.getPoliciesMap().entrySet()) {
      put(out, new ConfigElement(Kind.POLICY, path, e.getKey(), e.getValue()));
    }
    for (var e : g.getGroupsMap().entrySet()) {
      add(out, new ConfigElement(Kind.GROUP, path, e.getKey(), e.getValue()));
    }
  }

  private static void put(Map<String, ConfigElement> out, ConfigElement e) {
    checkId(e.name(), e.path());
    out.put(e.key(), e);
  }

  /**
   * Rebuilds the tree from the root group's element: each group's members are the names its own
   * message lists, each taken from the map, so that a changed child replaces the old one.
   *
   * @throws ConfigUpdateException INVALID_CONFIG when a listed member is not in the map
   */
  public static ConfigGroup toGroup(Map<String, ConfigElement> map, String rootName) {
    ConfigElement root = map.get(Kind.GROUP.prefix() + "/" + rootName);
    if (root == null) {
      throw new ConfigUpdateException(
          Reason.INVALID_CONFIG, "config has no root group /" + rootName);
    }
    return rebuild(map, root);
  }

  private static ConfigGroup rebuild(Map<String, ConfigElement> map, ConfigElement groupElement) {
    ConfigGroup g = groupElement.group();
    String path = groupElement.path();
    ConfigGroup.Builder b = g.toBuilder().clearGroups().clearValues().clearPolicies();
    for (String name : g.getGroupsMap().keySet()) {
      b.putGroups(name, rebuild(map, member(map, Kind.GROUP, path, name)));
    }
    for (String name : g.getValuesMap().keySet()) {
      b.putValues(name, (ConfigValue) member(map, Kind.VALUE, path, name).element());
    }
    for (String name : g.getPoliciesMap().keySet()) {
      b.putPolicies(name, (ConfigPolicy) member(map, Kind.POLICY, path, name).element());
    }
    return b.build();
  }

  private static ConfigElement member(
      Map<String, ConfigElement> map, Kind kind, String parent, String name) {
    ConfigElement e = map.get(kind.prefix() + parent + "/" + name);
    if (e == null) {
      throw new ConfigUpdateException(
          Reason.INVALID_CONFIG, "missing " + kind + " " + name + " of group " + parent);
    }
    return e;
  }

  /** Fabric's rule for config IDs (group, value and policy names, mod_policy path elements). */
  static void checkId(String id, String where) {
    if (id.isEmpty()) {
      throw new ConfigUpdateException(Reason.INVALID_NAME, where + ": config ID cannot be empty");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new ConfigUpdateException(
          Reason.INVALID_NAME, where + ": config ID longer than " + MAX_ID_LENGTH);
    }
    if (id.equals(".") || id.equals("..")) {
      throw new ConfigUpdateException(Reason.INVALID_NAME, where + ": config ID '" + id + "'");
    }
    if (!LEGAL_ID.matcher(id).matches()) {
      throw new ConfigUpdateException(
          Reason.INVALID_NAME, where + ": config ID '" + id + "' contains illegal characters");
    }
  }
}
