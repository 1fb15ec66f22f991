package io.ordo.fabric.configtx;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * The ConfigUpdate that takes one config to another, by the rules of configtxlator's {@code
 * compute_update}: a changed value or policy (mod_policy or content) is written at its version plus
 * one; a new one at version 0; an unchanged one is named in both sets at its version only when its
 * group's membership changes (a member added or removed, or the group's mod_policy changed), and
 * that group is then written at its version plus one with its new mod_policy; a group with changes
 * below it but none of its own is read and written at its own version. Map entries are written in
 * the order of their keys, so that the result is the same bytes from run to run.
 */
public final class ConfigUpdates {
  private ConfigUpdates() {}

  /**
   * The update from {@code original} to {@code updated}, without a channel ID (the caller sets it,
   * as {@code configtxlator compute_update --channel_id} does).
   *
   * @return empty when the two configs' trees do not differ
   */
  public static Optional<ConfigUpdate> compute(Config original, Config updated) {
    if (!original.hasChannelGroup()) {
      throw new IllegalArgumentException("no channel group included for original config");
    }
    if (!updated.hasChannelGroup()) {
      throw new IllegalArgumentException("no channel group included for updated config");
    }
    GroupUpdate u = group(original.getChannelGroup(), updated.getChannelGroup());
    if (!u.updated) {
      return Optional.empty();
    }
    return Optional.of(ConfigUpdate.newBuilder().setReadSet(u.read).setWriteSet(u.write).build());
  }

  /** {@link #compute}, with the channel ID set. */
  public static Optional<ConfigUpdate> compute(String channelId, Config original, Config updated) {
    return compute(original, updated).map(u -> u.toBuilder().setChannelId(channelId).build());
  }

  private record GroupUpdate(ConfigGroup read, ConfigGroup write, boolean updated) {}

  private record MapUpdate<T>(
      Map<String, T> read, Map<String, T> write, Map<String, T> same, boolean membersUpdated) {}

  private static MapUpdate<ConfigPolicy> policies(
      Map<String, ConfigPolicy> original, Map<String, ConfigPolicy> updated) {
    Map<String, ConfigPolicy> write = new TreeMap<>();
    Map<String, ConfigPolicy> same = new TreeMap<>();
    boolean members = false;
    for (String name : new TreeSet<>(original.keySet())) {
      ConfigPolicy o = original.get(name);
      ConfigPolicy u = updated.get(name);
      if (u == null) {
        members = true;
        continue;
      }
      if (o.getModPolicy().equals(u.getModPolicy()) && o.getPolicy().equals(u.getPolicy())) {
        same.put(name, ConfigPolicy.newBuilder().setVersion(o.getVersion()).build());
        continue;
      }
      write.put(name, policy(o.getVersion() + 1, u));
    }
    for (String name : new TreeSet<>(updated.keySet())) {
      if (!original.containsKey(name)) {
        members = true;
        write.put(name, policy(0, updated.get(name)));
      }
    }
    return new MapUpdate<>(new TreeMap<>(), write, same, members);
  }

  private static ConfigPolicy policy(long version, ConfigPolicy u) {
    ConfigPolicy.Builder b =
        ConfigPolicy.newBuilder().setVersion(version).setModPolicy(u.getModPolicy());
    if (u.hasPolicy()) {
      b.setPolicy(u.getPolicy());
    }
    return b.build();
  }

  private static MapUpdate<ConfigValue> values(
      Map<String, ConfigValue> original, Map<String, ConfigValue> updated) {
    Map<String, ConfigValue> write = new TreeMap<>();
    Map<String, ConfigValue> same = new TreeMap<>();
    boolean members = false;
    for (String name : new TreeSet<>(original.keySet())) {
      ConfigValue o = original.get(name);
      ConfigValue u = updated.get(name);
      if (u == null) {
        members = true;
        continue;
      }
      if (o.getModPolicy().equals(u.getModPolicy()) && o.getValue().equals(u.getValue())) {
        same.put(name, ConfigValue.newBuilder().setVersion(o.getVersion()).build());
        continue;
      }
      write.put(name, value(o.getVersion() + 1, u));
    }
    for (String name : new TreeSet<>(updated.keySet())) {
      if (!original.containsKey(name)) {
        members = true;
        write.put(name, value(0, updated.get(name)));
      }
    }
    return new MapUpdate<>(new TreeMap<>(), write, same, members);
  }

  private static ConfigValue value(long version, ConfigValue u) {
    return ConfigValue.newBuilder()
        .setVersion(version)
        .setModPolicy(u.getModPolicy())
        .setValue(u.getValue())
        .build();
  }

  private static MapUpdate<ConfigGroup> groups(
      Map<String, ConfigGroup> original, Map<String, ConfigGroup> updated) {
    Map<String, ConfigGroup> read = new TreeMap<>();
    Map<String, ConfigGroup> write = new TreeMap<>();
    Map<String, ConfigGroup> same = new TreeMap<>();
    boolean members = false;
    for (String name : new TreeSet<>(original.keySet())) {
      ConfigGroup u = updated.get(name);
      if (u == null) {
        members = true;
        continue;
      }
      GroupUpdate g = group(original.get(name), u);
      if (!g.updated) {
        same.put(name, g.read);
        continue;
      }
      read.put(name, g.read);
      write.put(name, g.write);
    }
    for (String name : new TreeSet<>(updated.keySet())) {
      if (original.containsKey(name)) {
        continue;
      }
      members = true;
      ConfigGroup u = updated.get(name);
      GroupUpdate g = group(ConfigGroup.getDefaultInstance(), u);
      write.put(
          name,
          ConfigGroup.newBuilder()
              .setVersion(0)
              .setModPolicy(u.getModPolicy())
              .putAllPolicies(g.write.getPoliciesMap())
              .putAllValues(g.write.getValuesMap())
              .putAllGroups(g.write.getGroupsMap())
              .build());
    }
    return new MapUpdate<>(read, write, same, members);
  }

  private static GroupUpdate group(ConfigGroup original, ConfigGroup updated) {
    MapUpdate<ConfigPolicy> p = policies(original.getPoliciesMap(), updated.getPoliciesMap());
    MapUpdate<ConfigValue> v = values(original.getValuesMap(), updated.getValuesMap());
    MapUpdate<ConfigGroup> g = groups(original.getGroupsMap(), updated.getGroupsMap());
    if (!p.membersUpdated
        && !v.membersUpdated
        && !g.membersUpdated
        && original.getModPolicy().equals(updated.getModPolicy())) {
      if (p.read.isEmpty()
          && p.write.isEmpty()
          && v.read.isEmpty()
          && v.write.isEmpty()
          && g.read.isEmpty()
          && g.write.isEmpty()) {
        ConfigGroup same = ConfigGroup.newBuilder().setVersion(original.getVersion()).build();
        return new GroupUpdate(same, same, false);
      }
      return new GroupUpdate(
          ConfigGroup.newBuilder()
              .setVersion(original.getVersion())
              .putAllPolicies(p.read)
              .putAllValues(v.read)
              .putAllGroups(g.read)
              .build(),
          ConfigGroup.newBuilder()
              .setVersion(original.getVersion())
              .putAllPolicies(p.write)
              .putAllValues(v.write)
              .putAllGroups(g.write)
              .build(),
          true);
    }
    Map<String, ConfigPolicy> readPolicies = new TreeMap<>(p.read);
    Map<String, ConfigPolicy> writePolicies = new TreeMap<>(p.write);
    readPolicies.putAll(p.same);
    writePolicies.putAll(p.same);
    Map<String, ConfigValue> readValues = new TreeMap<>(v.read);
    Map<String, ConfigValue> writeValues = new TreeMap<>(v.write);
    readValues.putAll(v.same);
    writeValues.putAll(v.same);
    Map<String, ConfigGroup> readGroups = new TreeMap<>(g.read);
    Map<String, ConfigGroup> writeGroups = new TreeMap<>(g.write);
    readGroups.putAll(g.same);
    writeGroups.putAll(g.same);
    return new GroupUpdate(
        ConfigGroup.newBuilder()
            .setVersion(original.getVersion())
            .putAllPolicies(readPolicies)
            .putAllValues(readValues)
            .putAllGroups(readGroups)
            .build(),
        ConfigGroup.newBuilder()
            .setVersion(original.getVersion() + 1)
            .putAllPolicies(writePolicies)
            .putAllValues(writeValues)
            .putAllGroups(writeGroups)
            .setModPolicy(updated.getModPolicy())
            .build(),
        true);
  }
}
