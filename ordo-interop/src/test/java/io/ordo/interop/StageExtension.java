package io.ordo.interop;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each interop test its {@link Stage}, and after it: on failure, the last lines of every
 * process log; the test's outcome and duration, one line; every process ended. Without {@code
 * FABRIC_BIN} and {@code FABRIC_CFG} the tests are skipped, and the run prints once what to set.
 */
final class StageExtension implements BeforeAllCallback, ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(StageExtension.class);
  private static final int TAIL_LINES = 40;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<FabricBinaries> fabric = fabric(context);
    if (fabric.isEmpty()) {
      context
          .getRoot()
          .getStore(NS)
          .getOrComputeIfAbsent(
              "notice",
              k -> {
                System.out.println(FabricBinaries.NOTICE);
                return Boolean.TRUE;
              });
    }
    Assumptions.assumeTrue(fabric.isPresent(), FabricBinaries.NOTICE);
  }

  private static Optional<FabricBinaries> fabric(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            "fabric",
            k -> FabricBinaries.fromEnvironment(System.getenv(), repositoryRoot()),
            Optional.class)
        .map(FabricBinaries.class::cast);
  }

  /** The repository root, which the parent pom's surefire configuration names. */
  static Path repositoryRoot() {
    String root = System.getProperty("ordo.root");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property ordo.root is not set: run the suite through Maven");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Stage.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    String testClass = context.getRequiredTestClass().getSimpleName();
    String test = context.getRequiredTestMethod().getName();
    Stage stage =
        new Stage(
            testClass,
            test,
            fabric(context).orElseThrow(),
            OrdoJar.of(repositoryRoot()),
            Stage.seed(testClass + "." + test));
    context.getStore(NS).put("stage", stage);
    context.getStore(NS).put("started", System.nanoTime());
    return stage;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Stage stage = context.getStore(NS).remove("stage", Stage.class);
    Long started = context.getStore(NS).remove("started", Long.class);
    if (stage == null) {
      return;
    }
    boolean failed = context.getExecutionException().isPresent();
    try {
      if (failed) {
        stage.printLogTails(TAIL_LINES);
      }
    } finally {
      stage.close();
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.printf(
        "interop: %s %s in %d s (seed %d)%n",
        stage.name(), failed ? "FAILED" : "passed", seconds, stage.seed());
  }
}
