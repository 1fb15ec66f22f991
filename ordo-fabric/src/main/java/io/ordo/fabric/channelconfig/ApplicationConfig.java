package io.ordo.fabric.channelconfig;

import java.util.Map;
import java.util.Set;

/** The /Channel/Application section: its capabilities, organisations and ACLs. */
public record ApplicationConfig(
    Set<String> capabilities, Map<String, OrgConfig> orgs, Map<String, String> acls) {
  public ApplicationConfig {
    capabilities = Set.copyOf(capabilities);
    orgs = Map.copyOf(orgs);
    acls = Map.copyOf(acls);
  }
}
