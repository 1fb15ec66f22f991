package io.ordo.fabric.configtx;

import java.util.List;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * One group, value or policy of a config tree, with where it sits.
 *
 * @param parentPath names of the groups above it, from the root group ({@code [Channel, Orderer]});
 *     empty for the root group itself
 * @param name its key in the parent's map (the root group's own name for the root)
 * @param element a {@link ConfigGroup}, {@link ConfigValue} or {@link ConfigPolicy}
 */
public record ConfigElement(Kind kind, List<String> parentPath, String name, Object element) {
  /** Element kinds, with the prefix Fabric uses in its config map keys. */
  public enum Kind {
    GROUP("[Group]  "),
    VALUE("[Value]  "),
    POLICY("[Policy] ");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  public ConfigElement {
    parentPath = List.copyOf(parentPath);
  }

  /** The key Fabric's config map uses: kind prefix and absolute path. */
  public String key() {
    return kind.prefix + path();
  }

  /** The absolute path ({@code /Channel/Orderer/BatchSize}). */
  public String path() {
    StringBuilder b = new StringBuilder();
    for (String p : parentPath) {
      b.append('/').append(p);
    }
    return b.append('/').append(name).toString();
  }

  public long version() {
    return switch (element) {
      case ConfigGroup g -> g.getVersion();
      case ConfigValue v -> v.getVersion();
      case ConfigPolicy p -> p.getVersion();
      default -> throw new IllegalStateException("not a config element: " + element.getClass());
    };
  }

  public String modPolicy() {
    return switch (element) {
      case ConfigGroup g -> g.getModPolicy();
      case ConfigValue v -> v.getModPolicy();
      case ConfigPolicy p -> p.getModPolicy();
      default -> throw new IllegalStateException("not a config element: " + element.getClass());
    };
  }

  public ConfigGroup group() {
    return (ConfigGroup) element;
  }
}
