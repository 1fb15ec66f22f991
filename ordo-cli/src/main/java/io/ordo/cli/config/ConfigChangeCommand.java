package io.ordo.cli.config;

import io.ordo.cli.CliContext;
import io.ordo.cli.client.OrdererOptions;
import io.ordo.cli.client.OrdererTarget;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Config;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes a channel's config: it reads the current config, edits it, and hands both
 * to {@link ConfigUpdateFlow}.
 */
abstract class ConfigChangeCommand implements Callable<Integer> {
  private final CliContext context;
  @Spec CommandSpec spec;
  @Mixin OrdererOptions orderer;
  @Mixin UpdateOptions update;

  ConfigChangeCommand(CliContext context) {
    this.context = context;
  }

  /** Checks the options before anything is read (usage errors). */
  void checkOptions() {}

  /** The edited config. */
  abstract Config edit(CurrentConfig current);

  @Override
  public final Integer call() throws InterruptedException {
    checkOptions();
    OrdererTarget target = orderer.resolve(spec.commandLine());
    ConfigUpdateFlow flow =
        new ConfigUpdateFlow(
            target, update, orderer.networkDir(), spec.commandLine().getOut(), context.style());
    CurrentConfig current = flow.read();
    return flow.change(current, edit(current));
  }
}
