package io.ordo.fabric.configtx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.configtx.ConfigElement.Kind;
import io.ordo.fabric.crypto.SignedData;
import io.ordo.fabric.policy.Policy;
import io.ordo.fabric.policy.PolicyNotSatisfiedException;
import io.ordo.fabric.policy.SignatureSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * Which mod_policy a set of config signatures leaves unsatisfied for an update, in an operator's
 * words: the policy's path, its rule, how many signatures of which organizations it still needs. It
 * evaluates the policies of the current config as the orderer will, element by element of the
 * update's delta.
 */
public final class PolicyShortfall {
  private static final String ROOT = "Channel";

  private PolicyShortfall() {}

  /**
   * The first policy the signatures do not satisfy, explained; empty when every changed element's
   * mod_policy is satisfied.
   */
  public static Optional<String> explain(
      ChannelConfig current, ConfigUpdate update, List<SignedData> signatures) {
    Map<String, ConfigElement> currentMap = ConfigMap.of(current.config().getChannelGroup(), ROOT);
    Map<String, ConfigElement> delta =
        ConfigUpdateValidator.deltaSet(
            ConfigMap.of(update.getReadSet(), ROOT), ConfigMap.of(update.getWriteSet(), ROOT));
    SignatureSet set = new SignatureSet(signatures);
    for (ConfigElement change : delta.values()) {
      ConfigElement existing = currentMap.get(change.key());
      if (existing == null) {
        continue;
      }
      String path = ConfigUpdateValidator.policyPath(existing);
      Optional<Policy> policy = current.policies().find(path);
      if (policy.isEmpty()) {
        return Optional.of(
            "the mod_policy " + path + " of " + existing.path() + " does not exist in the channel");
      }
      try {
        policy.get().evaluate(set);
      } catch (PolicyNotSatisfiedException e) {
        return Optional.of(describe(current, currentMap, path, existing, set, signatures.size()));
      }
    }
    return Optional.empty();
  }

  private static String describe(
      ChannelConfig current,
      Map<String, ConfigElement> map,
      String path,
      ConfigElement changed,
      SignatureSet set,
      int given) {
    String head =
        "policy "
            + path
            + " (mod_policy of "
            + changed.path()
            + ") is not satisfied by "
            + given
            + (given == 1 ? " signature" : " signatures");
    ConfigElement element = map.get(Kind.POLICY.prefix() + path);
    if (element == null) {
      return head;
    }
    ConfigPolicy cp = (ConfigPolicy) element.element();
    if (cp.getPolicy().getType()
        != org.hyperledger.fabric.protos.common.Policy.PolicyType.IMPLICIT_META_VALUE) {
      return head + ": it needs a signature its rule names (an admin of the organization, usually)";
    }
    ImplicitMetaPolicy meta;
    try {
      meta = ImplicitMetaPolicy.parseFrom(cp.getPolicy().getValue());
    } catch (InvalidProtocolBufferException e) {
      return head;
    }
    String groupPath = path.substring(0, path.lastIndexOf('/'));
    ConfigElement groupElement = map.get(Kind.GROUP.prefix() + groupPath);
    if (groupElement == null) {
      return head;
    }
    ConfigGroup group = groupElement.group();
    List<String> satisfied = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    boolean orgs =
        group.getGroupsMap().values().stream().allMatch(g -> g.getValuesMap().containsKey("MSP"));
    for (Map.Entry<String, ConfigGroup> child : group.getGroupsMap().entrySet()) {
      String subPath = groupPath + "/" + child.getKey() + "/" + meta.getSubPolicy();
      String label = label(child.getKey(), child.getValue());
      boolean ok;
      try {
        current
            .policies()
            .find(subPath)
            .orElseThrow(() -> new PolicyNotSatisfiedException("none"))
            .evaluate(set);
        ok = true;
      } catch (PolicyNotSatisfiedException e) {
        ok = false;
      }
      (ok ? satisfied : missing).add(label);
    }
    int n = satisfied.size() + missing.size();
    int threshold =
        switch (meta.getRule()) {
          case ANY -> n == 0 ? 0 : 1;
          case ALL -> n;
          case MAJORITY -> n == 0 ? 0 : n / 2 + 1;
          default -> n;
        };
    int more = Math.max(1, threshold - satisfied.size());
    return head
        + ": "
        + meta.getRule()
        + " "
        + meta.getSubPolicy()
        + " needs "
        + threshold
        + " of "
        + n
        + (orgs ? " organizations, " : " groups, ")
        + (satisfied.isEmpty() ? "none" : String.join(", ", satisfied))
        + " signed; missing "
        + more
        + " more "
        + meta.getSubPolicy()
        + " signature"
        + (more == 1 ? "" : "s")
        + " from "
        + (more == missing.size() ? "" : "any of ")
        + String.join(", ", missing);
  }

  /** A child group's name, with its MSP ID when it is an organization with a different one. */
  private static String label(String name, ConfigGroup group) {
    ConfigValue msp = group.getValuesMap().get("MSP");
    if (msp == null) {
      return name;
    }
    try {
      String id =
          FabricMSPConfig.parseFrom(MSPConfig.parseFrom(msp.getValue()).getConfig()).getName();
      return id.isEmpty() || id.equals(name) ? name : name + " (" + id + ")";
    } catch (InvalidProtocolBufferException e) {
      return name;
    }
  }
}
