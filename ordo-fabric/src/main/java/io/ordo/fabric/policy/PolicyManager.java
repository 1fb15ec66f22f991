package io.ordo.fabric.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.MspManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * The policies of one group of a config tree and, recursively, of its sub-groups. Paths are
 * absolute ({@code /Channel/Orderer/BlockValidation}) or relative to this group ({@code Admins},
 * {@code Org1MSP/Writers}).
 */
public final class PolicyManager {
  private final String path;
  private final Map<String, Policy> policies;
  private final Map<String, PolicyManager> children;
  private final PolicyManager root;

  private PolicyManager(String path, PolicyManager root) {
    this.path = path;
    this.policies = new TreeMap<>();
    this.children = new TreeMap<>();
    this.root = root == null ? this : root;
  }

  /** The manager of a channel config, rooted at {@code /Channel}. */
  public static PolicyManager forChannel(ConfigGroup channelGroup, MspManager msps, Ecdsa ecdsa) {
    PolicyManager root = new PolicyManager("/Channel", null);
    root.load(channelGroup, msps, ecdsa);
    return root;
  }

  private void load(ConfigGroup group, MspManager msps, Ecdsa ecdsa) {
    for (var child : new TreeMap<>(group.getGroupsMap()).entrySet()) {
      PolicyManager m = new PolicyManager(path + "/" + child.getKey(), root);
      m.load(child.getValue(), msps, ecdsa);
      children.put(child.getKey(), m);
    }
    for (var entry : new TreeMap<>(group.getPoliciesMap()).entrySet()) {
      policies.put(entry.getKey(), compile(entry.getKey(), entry.getValue(), msps, ecdsa));
    }
  }

  private Policy compile(String name, ConfigPolicy cp, MspManager msps, Ecdsa ecdsa) {
    String where = path + "/" + name;
    var policy = cp.getPolicy();
    try {
      return switch (policy.getType()) {
        case 1 ->
            new SignaturePolicy(
                where, SignaturePolicyEnvelope.parseFrom(policy.getValue()), msps, ecdsa);
        case 3 -> {
          var meta =
              org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parseFrom(policy.getValue());
          List<Policy> subs = new ArrayList<>();
          for (PolicyManager child : children.values()) {
            Policy sub = child.policies.get(meta.getSubPolicy());
            subs.add(
                sub != null
                    ? sub
                    : signatures -> {
                      throw new PolicyNotSatisfiedException(
                          "no policy " + meta.getSubPolicy() + " in " + child.path);
                    });
          }
          yield new ImplicitMetaPolicy(where, meta.getSubPolicy(), meta.getRule(), subs);
        }
        default ->
            throw new InvalidPolicyException(where, "unsupported policy type " + policy.getType());
      };
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidPolicyException(where, "policy value does not decode: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException(where, e.getMessage());
    }
  }

  public String path() {
    return path;
  }

  /** The policy at an absolute or relative path. */
  public Optional<Policy> find(String policyPath) {
    if (policyPath.startsWith("/")) {
      String rootPrefix = root.path + "/";
      if (!policyPath.startsWith(rootPrefix)) {
        return Optional.empty();
      }
      return root.findRelative(policyPath.substring(rootPrefix.length()));
    }
    return findRelative(policyPath);
  }

  /**
   * @throws UnknownPolicyException when no policy has that path
   */
  public Policy get(String policyPath) {
    return find(policyPath).orElseThrow(() -> new UnknownPolicyException(policyPath));
  }

  private Optional<Policy> findRelative(String rel) {
    int slash = rel.indexOf('/');
    if (slash < 0) {
      return Optional.ofNullable(policies.get(rel));
    }
    PolicyManager child = children.get(rel.substring(0, slash));
    return child == null ? Optional.empty() : child.findRelative(rel.substring(slash + 1));
  }

  /** The manager of a sub-group by relative path ({@code Orderer}, {@code Application/Org1MSP}). */
  public Optional<PolicyManager> manager(String relativePath) {
    PolicyManager m = this;
    for (String part : relativePath.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      m = m.children.get(part);
      if (m == null) {
        return Optional.empty();
      }
    }
    return Optional.of(m);
  }

  /** Policy names of this group. */
  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(policies.keySet());
  }
}
