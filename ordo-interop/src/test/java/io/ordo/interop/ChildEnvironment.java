package io.ordo.interop;

import java.util.Map;

/**
 * The environment of a child process: the test JVM's, without any Fabric setting it may carry
 * ({@code FABRIC_*}, {@code ORDERER_*}, {@code CORE_*}, {@code CONFIGTX_*}), plus exactly the
 * variables the harness gives. A developer's shell then cannot change what a run means.
 */
final class ChildEnvironment {
  private ChildEnvironment() {}

  static void apply(Map<String, String> target, Map<String, String> given) {
    target
        .keySet()
        .removeIf(
            k ->
                k.startsWith("FABRIC_")
                    || k.startsWith("ORDERER_")
                    || k.startsWith("CORE_")
                    || k.startsWith("CONFIGTX_"));
    target.putAll(given);
  }
}
