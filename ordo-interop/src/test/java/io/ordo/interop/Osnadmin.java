package io.ordo.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Fabric's osnadmin with the orderer org admin's TLS credentials. */
final class Osnadmin {
  private final FabricTools tools;
  private final AdminCredentials admin;

  Osnadmin(FabricTools tools, AdminCredentials admin) {
    this.tools = tools;
    this.admin = admin;
  }

  ToolResult join(OrdererNode node, String channel, Path block) {
    List<String> args = new ArrayList<>(List.of("channel", "join"));
    args.addAll(admin.flags(node.adminEndpoint()));
    args.addAll(List.of("--channelID", channel, "--config-block", block.toString()));
    return tools.osnadmin(args);
  }

  ToolResult list(OrdererNode node, Optional<String> channel) {
    List<String> args = new ArrayList<>(List.of("channel", "list"));
    args.addAll(admin.flags(node.adminEndpoint()));
    channel.ifPresent(c -> args.addAll(List.of("--channelID", c)));
    return tools.osnadmin(args);
  }

  ToolResult remove(OrdererNode node, String channel) {
    List<String> args = new ArrayList<>(List.of("channel", "remove"));
    args.addAll(admin.flags(node.adminEndpoint()));
    args.addAll(List.of("--channelID", channel));
    return tools.osnadmin(args);
  }
}
