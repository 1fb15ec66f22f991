package io.ordo.cli.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ordo.cli.CommandFailedException;
import io.ordo.fabric.channelconfig.GoDuration;
import io.ordo.fabric.genesis.ByteSizes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;
import org.hyperledger.fabric.protos.orderer.etcdraft.Options;

/**
 * The edits the commands make to a config tree, each the change an operator makes by hand with jq
 * in Fabric's recipe: a value of /Channel/Orderer re-encoded with new fields, a consenter added,
 * removed or given new certificates, an orderer organization's endpoints replaced. Values keep
 * their version and mod_policy; computing the update gives them their next version.
 */
final class ConfigEdits {
  private ConfigEdits() {}

  /** {@code max=500,bytes=2MB,preferred=512KB}, any of the three. */
  static Config batchSize(Config config, String spec) {
    Map<String, String> kv = keyValues("--batch-size", spec, List.of("max", "bytes", "preferred"));
    return ordererValue(
        config,
        "BatchSize",
        bytes -> {
          BatchSize.Builder b = parse(bytes, BatchSize.newBuilder());
          if (kv.containsKey("max")) {
            b.setMaxMessageCount(positiveInt("--batch-size max", kv.get("max")));
          }
          if (kv.containsKey("bytes")) {
            b.setAbsoluteMaxBytes(size("--batch-size bytes", kv.get("bytes")));
          }
          if (kv.containsKey("preferred")) {
            b.setPreferredMaxBytes(size("--batch-size preferred", kv.get("preferred")));
          }
          return b.build().toByteString();
        });
  }

  /** A Go duration ({@code 1s}, {@code 500ms}). */
  static Config batchTimeout(Config config, String timeout) {
    duration("--batch-timeout", timeout);
    return ordererValue(
        config,
        "BatchTimeout",
        bytes ->
            parse(bytes, BatchTimeout.newBuilder()).setTimeout(timeout).build().toByteString());
  }

  /** {@code tick=500ms,election=10,heartbeat=1,inflight=5,snapshot=16MB}, any of them. */
  static Config raftOptions(Config config, String spec) {
    Map<String, String> kv =
        keyValues(
            "--etcdraft-options",
            spec,
            List.of("tick", "election", "heartbeat", "inflight", "snapshot"));
    return raftMetadata(
        config,
        m -> {
          Options.Builder o = m.getOptions().toBuilder();
          if (kv.containsKey("tick")) {
            duration("--etcdraft-options tick", kv.get("tick"));
            o.setTickInterval(kv.get("tick"));
          }
          if (kv.containsKey("election")) {
            o.setElectionTick(positiveInt("--etcdraft-options election", kv.get("election")));
          }
          if (kv.containsKey("heartbeat")) {
            o.setHeartbeatTick(positiveInt("--etcdraft-options heartbeat", kv.get("heartbeat")));
          }
          if (kv.containsKey("inflight")) {
            o.setMaxInflightBlocks(positiveInt("--etcdraft-options inflight", kv.get("inflight")));
          }
          if (kv.containsKey("snapshot")) {
            o.setSnapshotIntervalSize(
                (int)
                    Math.min(
                        Integer.MAX_VALUE,
                        size("--etcdraft-options snapshot", kv.get("snapshot"))));
          }
          return m.setOptions(o);
        });
  }

  static Config addConsenter(Config config, Consenter consenter) {
    return raftMetadata(
        config,
        m -> {
          for (Consenter c : m.getConsentersList()) {
            if (c.getHost().equals(consenter.getHost()) && c.getPort() == consenter.getPort()) {
              throw new CommandFailedException(
                  "consenter " + endpoint(c) + " is already in the channel: nothing submitted");
            }
          }
          return m.addConsenters(consenter);
        });
  }

  static Config removeConsenter(Config config, String host, int port) {
    return raftMetadata(
        config,
        m -> {
          List<Consenter> kept = new ArrayList<>();
          for (Consenter c : m.getConsentersList()) {
            if (!(c.getHost().equals(host) && c.getPort() == port)) {
              kept.add(c);
            }
          }
          if (kept.size() == m.getConsentersCount()) {
            throw noSuchConsenter(m, host, port);
          }
          return m.clearConsenters().addAllConsenters(kept);
        });
  }

  /** New TLS certificates for the consenter at host:port, at its place in the list. */
  static Config rotateConsenter(
      Config config, String host, int port, ByteString clientCert, ByteString serverCert) {
    return raftMetadata(
        config,
        m -> {
          for (int i = 0; i < m.getConsentersCount(); i++) {
            Consenter c = m.getConsenters(i);
            if (c.getHost().equals(host) && c.getPort() == port) {
              return m.setConsenters(
                  i, c.toBuilder().setClientTlsCert(clientCert).setServerTlsCert(serverCert));
            }
          }
          throw noSuchConsenter(m, host, port);
        });
  }

  /**
   * The orderer organization {@code org}'s Endpoints value with {@code add} added and {@code
   * remove} removed (the value is created when the organization has none).
   */
  static Config editEndpoints(Config config, String org, List<String> add, List<String> remove) {
    return endpoints(
        config,
        org,
        current -> {
          List<String> out = new ArrayList<>(current);
          out.removeAll(remove);
          for (String a : add) {
            if (!out.contains(a)) {
              out.add(a);
            }
          }
          return out;
        });
  }

  /** The orderer organization {@code org}'s Endpoints set to {@code addresses}. */
  static Config setEndpoints(Config config, String org, List<String> addresses) {
    return endpoints(config, org, current -> addresses);
  }

  /**
   * The orderer organization an option names, or the only one; a clear error when it is not there
   * or when there are several and none is named.
   */
  static String ordererOrg(Config config, String named) {
    ConfigGroup orderer = orderer(config);
    List<String> orgs = new ArrayList<>(orderer.getGroupsMap().keySet());
    if (named != null) {
      if (!orgs.contains(named)) {
        throw new CommandFailedException(
            "no orderer organization '"
                + named
                + "' in the channel; it has "
                + String.join(", ", orgs));
      }
      return named;
    }
    if (orgs.size() != 1) {
      throw new CommandFailedException(
          "the channel has "
              + orgs.size()
              + " orderer organizations ("
              + String.join(", ", orgs)
              + "): name one with --org");
    }
    return orgs.getFirst();
  }

  private static Config endpoints(Config config, String org, UnaryOperator<List<String>> edit) {
    ConfigGroup orderer = orderer(config);
    ConfigGroup group = orderer.getGroupsOrThrow(org);
    ConfigValue value =
        group
            .getValuesMap()
            .getOrDefault("Endpoints", ConfigValue.newBuilder().setModPolicy("Admins").build());
    OrdererAddresses.Builder a = parse(value.getValue(), OrdererAddresses.newBuilder());
    List<String> next = edit.apply(List.copyOf(a.getAddressesList()));
    ConfigValue updated =
        value.toBuilder()
            .setValue(a.clearAddresses().addAllAddresses(next).build().toByteString())
            .build();
    ConfigGroup newOrderer =
        orderer.toBuilder()
            .putGroups(org, group.toBuilder().putValues("Endpoints", updated).build())
            .build();
    return withOrderer(config, newOrderer);
  }

  private static Config raftMetadata(Config config, UnaryOperator<ConfigMetadata.Builder> edit) {
    return ordererValue(
        config,
        "ConsensusType",
        bytes -> {
          ConsensusType.Builder t = parse(bytes, ConsensusType.newBuilder());
          if (!t.getType().equals("etcdraft")) {
            throw new CommandFailedException(
                "the channel's consensus type is '" + t.getType() + "', not etcdraft");
          }
          ConfigMetadata.Builder m = parse(t.getMetadata(), ConfigMetadata.newBuilder());
          return t.setMetadata(edit.apply(m).build().toByteString()).build().toByteString();
        });
  }

  private static Config ordererValue(Config config, String name, UnaryOperator<ByteString> edit) {
    ConfigGroup orderer = orderer(config);
    ConfigValue value = orderer.getValuesMap().get(name);
    if (value == null) {
      throw new CommandFailedException("the channel config has no /Channel/Orderer/" + name);
    }
    ConfigValue updated = value.toBuilder().setValue(edit.apply(value.getValue())).build();
    return withOrderer(config, orderer.toBuilder().putValues(name, updated).build());
  }

  private static ConfigGroup orderer(Config config) {
    ConfigGroup orderer = config.getChannelGroup().getGroupsMap().get("Orderer");
    if (orderer == null) {
      throw new CommandFailedException("the channel config has no /Channel/Orderer group");
    }
    return orderer;
  }

  private static Config withOrderer(Config config, ConfigGroup orderer) {
    return config.toBuilder()
        .setChannelGroup(config.getChannelGroup().toBuilder().putGroups("Orderer", orderer))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <B extends Message.Builder> B parse(ByteString bytes, B builder) {
    try {
      return (B) builder.mergeFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CommandFailedException(
          "the channel's " + builder.getDescriptorForType().getName() + " does not decode", e);
    }
  }

  private static Map<String, String> keyValues(String option, String spec, List<String> keys) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new CommandFailedException(
            option + ": '" + part + "' is not KEY=VALUE (keys: " + String.join(", ", keys) + ")");
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (!keys.contains(key)) {
        throw new CommandFailedException(
            option + ": unknown key '" + key + "' (keys: " + String.join(", ", keys) + ")");
      }
      out.put(key, part.substring(eq + 1).trim());
    }
    return out;
  }

  private static int positiveInt(String option, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new CommandFailedException(option + ": '" + text + "' is not a positive number");
  }

  private static int size(String option, String text) {
    long n;
    try {
      n = ByteSizes.parse(option, text);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage() + " (a number of bytes, or with KB, MB, GB)");
    }
    if (n <= 0 || n > Integer.MAX_VALUE) {
      throw new CommandFailedException(option + ": '" + text + "' is out of range");
    }
    return (int) n;
  }

  private static void duration(String option, String text) {
    try {
      if (GoDuration.parse(text).isNegative() || GoDuration.parse(text).isZero()) {
        throw new IllegalArgumentException("not positive");
      }
    } catch (RuntimeException e) {
      throw new CommandFailedException(
          option + ": '" + text + "' is not a positive duration (as 500ms, 2s, 1m)");
    }
  }

  private static CommandFailedException noSuchConsenter(
      ConfigMetadata.Builder m, String host, int port) {
    return new CommandFailedException(
        "no consenter "
            + host
            + ":"
            + port
            + " in the channel; it has "
            + String.join(
                ", ", m.getConsentersList().stream().map(ConfigEdits::endpoint).toList()));
  }

  private static String endpoint(Consenter c) {
    return c.getHost() + ":" + c.getPort();
  }
}
