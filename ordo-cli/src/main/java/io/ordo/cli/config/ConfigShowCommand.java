package io.ordo.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.DurationConverter;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import io.ordo.fabric.json.FabricJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ordo config show}: the channel's current config as configtxlator's JSON. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Print the channel's current config (its newest config block, over Deliver) as"
            + " 'configtxlator proto_decode --type common.Config' does, or one group, value or"
            + " policy of it with --path.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:printed",
      "1:the orderer could not be reached or refused, or --path names nothing",
      "2:wrong usage"
    })
public final class ConfigShowCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private OrdererOptions orderer;

  @Option(
      names = "--path",
      paramLabel = "PATH",
      description =
          "Only this part: a group (/Channel/Orderer), a value (/Channel/Orderer/BatchSize) or a"
              + " policy (/Channel/Orderer/Admins).")
  private String path;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on each Deliver request (default 1m).")
  private Duration timeout = Duration.ofMinutes(1);

  @Override
  public Integer call() throws InterruptedException {
    OrdererTarget target = orderer.resolve(spec.commandLine());
    CurrentConfig current = new ConfigReader(target, timeout).read();
    FabricJson json = new FabricJson();
    JsonNode node =
        path == null
            ? json.config(current.config())
            : part(json, current.config().getChannelGroup());
    PrintWriter out = spec.commandLine().getOut();
    out.println(json.text(node));
    out.flush();
    return 0;
  }

  private JsonNode part(FabricJson json, ConfigGroup root) {
    String[] names = path.replaceAll("^/+|/+$", "").split("/+");
    if (names.length == 0 || !names[0].equals("Channel")) {
      throw new CommandFailedException(
          "--path "
              + path
              + ": a config path starts with /Channel (as /Channel/Orderer/BatchSize)");
    }
    ConfigGroup group = root;
    for (int i = 1; i < names.length; i++) {
      String name = names[i];
      boolean last = i == names.length - 1;
      if (group.getGroupsMap().containsKey(name)) {
        group = group.getGroupsOrThrow(name);
      } else if (last && group.getValuesMap().containsKey(name)) {
        return json.valueJson(name, group.getValuesOrThrow(name));
      } else if (last && group.getPoliciesMap().containsKey(name)) {
        return json.policyJson(group.getPoliciesOrThrow(name));
      } else {
        throw new CommandFailedException(
            "--path "
                + path
                + ": no group, value or policy '"
                + name
                + "' in /"
                + String.join("/", java.util.Arrays.copyOfRange(names, 0, i))
                + " (groups: "
                + String.join(", ", group.getGroupsMap().keySet())
                + "; values: "
                + String.join(", ", group.getValuesMap().keySet())
                + "; policies: "
                + String.join(", ", group.getPoliciesMap().keySet())
                + ")");
      }
    }
    return json.groupJson(group);
  }
}
