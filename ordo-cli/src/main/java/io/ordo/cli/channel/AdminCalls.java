package io.ordo.cli.channel;

import io.ordo.cli.CliContext;
import io.ordo.cli.CommandFailedException;
import io.ordo.cli.ExitCodes;
import io.ordo.cli.MessageText;
import io.ordo.cli.admin.AdminTls;
import io.ordo.cli.admin.JsonIndent;
import io.ordo.cli.admin.ParticipationClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import picocli.CommandLine;

/**
 * Makes one participation call on each node of a target and prints each response as osnadmin does
 * ({@code Status: N}, then the JSON body indented with tabs), under a heading naming the node when
 * there are several. Exit 0 when every answer is 2xx; otherwise 1, with one line on stderr naming
 * the first node that refused and why (osnadmin exits 0 on any HTTP answer).
 */
public final class AdminCalls {
  private AdminCalls() {}

  public static int run(
      CommandLine cmd,
      CliContext context,
      AdminOptions options,
      BiFunction<ParticipationClient, String, ParticipationClient.Response> call) {
    return run(cmd, context, options, options.resolve(cmd), call);
  }

  /** As {@link #run}, refusing as wrong usage a target of more than one node. */
  public static int runOnOneNode(
      CommandLine cmd,
      CliContext context,
      AdminOptions options,
      BiFunction<ParticipationClient, String, ParticipationClient.Response> call) {
    AdminTarget target = options.resolve(cmd);
    if (target.nodes().size() > 1) {
      throw new CommandLine.ParameterException(
          cmd,
          "this acts on one orderer at a time: name it with --node (the network has "
              + target.nodes().size()
              + ")");
    }
    return run(cmd, context, options, target, call);
  }

  private static int run(
      CommandLine cmd,
      CliContext context,
      AdminOptions options,
      AdminTarget target,
      BiFunction<ParticipationClient, String, ParticipationClient.Response> call) {
    PrintWriter out = cmd.getOut();
    List<String> refusals = new ArrayList<>();
    try (ParticipationClient client =
        new ParticipationClient(target.tlsCa().map(ca -> AdminTls.context(ca, target.client())))) {
      for (AdminTarget.Node node : target.nodes()) {
        ParticipationClient.Response r;
        try {
          r = call.apply(client, node.endpoint());
        } catch (CommandFailedException e) {
          if (target.nodes().size() == 1) {
            throw e;
          }
          out.println(heading(node));
          out.println(context.style().failure(MessageText.oneLine(e.getMessage())));
          refusals.add(MessageText.oneLine(e.getMessage()));
          continue;
        }
        if (target.nodes().size() > 1) {
          out.println(heading(node));
        }
        out.println(osnadminOutput(options.noStatus(), r));
        if (!r.success()) {
          refusals.add(
              node.endpoint()
                  + " answered HTTP "
                  + r.status()
                  + errorOf(r.body()).map(e -> ": " + e).orElse(""));
        }
      }
    }
    out.flush();
    if (refusals.isEmpty()) {
      return ExitCodes.OK;
    }
    throw new CommandFailedException(
        refusals.getFirst()
            + (refusals.size() > 1 ? " (and " + (refusals.size() - 1) + " more)" : ""),
        ExitCodes.ERROR,
        null);
  }

  /**
   * What osnadmin prints for an answer: {@code Status: N} and a newline unless {@code --no-status},
   * the body indented as Go's {@code json.Indent} does (which keeps the body's trailing newline),
   * all printed with {@code fmt.Println}, hence the empty line after the body and after a 204's
   * status line.
   */
  static String osnadminOutput(boolean noStatus, ParticipationClient.Response r) {
    StringBuilder b = new StringBuilder();
    if (!noStatus) {
      b.append("Status: ").append(r.status()).append('\n');
    }
    String body = r.body();
    if (!body.isBlank()) {
      b.append(JsonIndent.indent(body)).append(body.substring(body.stripTrailing().length()));
    }
    return b.toString();
  }

  private static String heading(AdminTarget.Node node) {
    return "== " + node.name().map(n -> n + " ").orElse("") + "(" + node.endpoint() + ")";
  }

  // the participation API's errors are {"error": "..."}
  private static java.util.Optional<String> errorOf(String body) {
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      return node != null && node.hasNonNull("error")
          ? java.util.Optional.of(MessageText.oneLine(node.get("error").asText()))
          : java.util.Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return java.util.Optional.empty();
    }
  }
}
