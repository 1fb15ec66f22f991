package io.ordo.fabric.msp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * Collects the MSPs of a channel config: the {@code MSP} value of every organisation group under
 * /Channel/Orderer, /Channel/Application and /Channel/Consortiums/*.
 */
public final class ChannelMsps {
  private ChannelMsps() {}

  public static MspManager fromChannelGroup(ConfigGroup channel) {
    Map<String, FabricMsp> byId = new TreeMap<>();
    for (String section : List.of("Orderer", "Application")) {
      ConfigGroup g = channel.getGroupsMap().get(section);
      if (g != null) {
        collect("/Channel/" + section, g, byId);
      }
    }
    ConfigGroup consortiums = channel.getGroupsMap().get("Consortiums");
    if (consortiums != null) {
      for (var c : consortiums.getGroupsMap().entrySet()) {
        collect("/Channel/Consortiums/" + c.getKey(), c.getValue(), byId);
      }
    }
    return new MspManager(new ArrayList<>(byId.values()));
  }

  private static void collect(String path, ConfigGroup section, Map<String, FabricMsp> byId) {
    for (var org : section.getGroupsMap().entrySet()) {
      ConfigValue v = org.getValue().getValuesMap().get("MSP");
      if (v == null) {
        continue;
      }
      String where = path + "/" + org.getKey() + "/MSP";
      if (isIdemix(where, v)) {
        continue; // idemix identities are not deserialised here; they satisfy no policy
      }
      FabricMsp msp = parse(where, v);
      FabricMsp previous = byId.putIfAbsent(msp.mspId(), msp);
      if (previous != null && !previous.config().equals(msp.config())) {
        throw new IllegalArgumentException(
            where + ": MSP " + msp.mspId() + " defined twice differently");
      }
    }
  }

  /** Type 1 MSPs are idemix (anonymous credentials), which this module does not verify. */
  public static boolean isIdemix(String path, ConfigValue v) {
    try {
      return MSPConfig.parseFrom(v.getValue()).getType() == 1;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(path + ": not an MSPConfig: " + e.getMessage(), e);
    }
  }

  /** The MSP ID of an idemix MSP value. */
  public static String idemixMspId(String path, ConfigValue v) {
    try {
      return org.hyperledger.fabric.protos.msp.IdemixMSPConfig.parseFrom(
              MSPConfig.parseFrom(v.getValue()).getConfig())
          .getName();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(path + ": not an IdemixMSPConfig: " + e.getMessage(), e);
    }
  }

  /** Decodes an org group's MSP value. */
  public static FabricMsp parse(String path, ConfigValue v) {
    try {
      MSPConfig config = MSPConfig.parseFrom(v.getValue());
      if (config.getType() != 0) {
        throw new IllegalArgumentException(
            path + ": only FABRIC (type 0) MSPs are supported, got " + config.getType());
      }
      return new FabricMsp(FabricMSPConfig.parseFrom(config.getConfig()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(path + ": not an MSPConfig: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(path)
          ? e
          : new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }
}
