package io.ordo.orderer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to a {@link RawConfig}. An absent key, a key without a value and a zero value all
 * take the given default: Fabric replaces zero values of the keys that have defaults, and the
 * default of every other key is its zero value.
 */
final class TypedValues {
  private final RawConfig raw;
  private final Path baseDir;

  TypedValues(RawConfig raw, Path baseDir) {
    this.raw = raw;
    this.baseDir = baseDir;
  }

  String string(String key, String dflt) {
    String s = scalar(key);
    return s == null || s.isEmpty() ? dflt : s;
  }

  boolean bool(String key, boolean dflt) {
    String s = scalar(key);
    return s == null || s.isEmpty() ? dflt : GoValues.parseBool(key, s.trim());
  }

  long integer(String key, long dflt, long min, long max) {
    String s = scalar(key);
    if (s == null || s.isBlank()) {
      return dflt;
    }
    long v = GoValues.parseInt(key, s, min, max);
    return v == 0 ? dflt : v;
  }

  int port(String key, int dflt) {
    return (int) integer(key, dflt, 0, 65535);
  }

  double decimal(String key, double dflt) {
    String s = scalar(key);
    if (s == null || s.isBlank()) {
      return dflt;
    }
    double v = GoValues.parseFloat(key, s);
    return v == 0 ? dflt : v;
  }

  Duration duration(String key, Duration dflt) {
    String s = scalar(key);
    if (s == null || s.isBlank()) {
      return dflt;
    }
    Duration d = GoValues.parseDuration(key, s);
    if (d.isNegative()) {
      throw new LocalConfigException(key, "'" + s + "' is negative");
    }
    return d.isZero() ? dflt : d;
  }

  long byteSize(String key, long dflt) {
    String s = scalar(key);
    if (s == null || s.isBlank()) {
      return dflt;
    }
    long v = GoValues.parseByteSize(key, s);
    return v == 0 ? dflt : v;
  }

  /** A file path resolved against the config file's directory; empty when unset. */
  Optional<Path> path(String key) {
    String s = scalar(key);
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(resolve(key, s.trim()));
  }

  /** Like {@link #path(String)}, with a default path (itself resolved) when unset. */
  Path path(String key, String dflt) {
    return path(key).orElseGet(() -> resolve(key, dflt));
  }

  List<String> list(String key) {
    Optional<RawConfig.Value> v = raw.get(key);
    if (v.isEmpty() || v.get().value() == null) {
      return List.of();
    }
    Object value = v.get().value();
    List<String> items =
        value instanceof String s
            ? GoValues.parseList(s)
            : ((List<?>) value).stream().map(Object::toString).toList();
    return items.stream().map(String::trim).filter(i -> !i.isEmpty()).toList();
  }

  List<Path> paths(String key) {
    List<Path> out = new ArrayList<>();
    for (String item : list(key)) {
      out.add(resolve(key, item));
    }
    return List.copyOf(out);
  }

  private Path resolve(String key, String text) {
    try {
      return baseDir.resolve(text).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new LocalConfigException(key, "'" + text + "' is not a valid path", e);
    }
  }

  private String scalar(String key) {
    Optional<RawConfig.Value> v = raw.get(key);
    if (v.isEmpty() || v.get().value() == null) {
      return null;
    }
    if (v.get().value() instanceof String s) {
      return s;
    }
    throw new LocalConfigException(key, "must be a single value, found a list");
  }
}
