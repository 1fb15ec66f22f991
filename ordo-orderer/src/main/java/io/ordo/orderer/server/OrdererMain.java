package io.ordo.orderer.server;

import io.ordo.orderer.config.LocalConfig;
import io.ordo.orderer.config.LocalConfigException;
import io.ordo.orderer.config.LocalConfigLoader;
import io.ordo.orderer.ops.FabricLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java io.ordo.orderer.server.OrdererMain [--config orderer.yaml]}: starts one orderer node
 * from orderer.yaml ({@code --config}, else {@code $FABRIC_CFG_PATH/orderer.yaml}) and runs until
 * SIGTERM or SIGINT, which stop it cleanly. A start-up failure is one line on stderr and exit code
 * 1. Logging follows {@code FABRIC_LOGGING_SPEC} and {@code FABRIC_LOGGING_FORMAT} from the first
 * line on ({@link FabricLogging}).
 */
public final class OrdererMain {
  private static final Logger LOG = LoggerFactory.getLogger(OrdererMain.class);

  /** Exit code of a node that could not start. */
  public static final int START_FAILED = 1;

  /** Netty's switch for its buffer leak detector (grpc-java shades Netty under its own package). */
  static final String NETTY_LEAK_DETECTION = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  /** Exit code of a command line that does not parse. */
  public static final int USAGE = 2;

  private OrdererMain() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Netty samples one buffer in 128 for leak tracking and records a stack trace for each: about 1%
   * of a busy node's (or benchmark client's) CPU spent on a debugging aid. Off unless the operator
   * asks for a level with {@code -D}; to be called before Netty's first use.
   */
  public static void quietNettyLeakDetection() {
    if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
      System.setProperty(NETTY_LEAK_DETECTION, "disabled");
    }
  }

  /**
   * Starts the node and blocks until it is stopped by the JVM's shutdown.
   *
   * @return 0 after a clean stop, else {@link #START_FAILED} or {@link #USAGE}
   */
  public static int run(String[] args, Map<String, String> env, PrintWriter err) {
    Optional<String> configFlag;
    try {
      configFlag = configFlag(args);
    } catch (IllegalArgumentException e) {
      err.println("orderer: " + e.getMessage());
      err.println("usage: orderer [--config FILE]");
      return USAGE;
    }
    try {
      FabricLogging.configure(env);
    } catch (IllegalArgumentException e) {
      err.println("orderer: cannot start: " + e.getMessage());
      return START_FAILED;
    }
    quietNettyLeakDetection();
    OrdererServer server;
    try {
      LocalConfig config =
          new LocalConfigLoader(env, Path.of("").toAbsolutePath()).load(configFlag);
      server = OrdererServer.start(config);
    } catch (LocalConfigException e) {
      err.println("orderer: cannot start: " + e.getMessage());
      return START_FAILED;
    } catch (RuntimeException e) {
      err.println("orderer: cannot start: " + oneLine(e));
      return START_FAILED;
    }
    Thread hook =
        new Thread(
            () -> {
              LOG.info("stopping: the process was asked to end");
              server.shutDown();
              LOG.info("orderer stopped");
            },
            "orderer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  /** The value of {@code --config FILE} or {@code --config=FILE}, if given. */
  static Optional<String> configFlag(String[] args) {
    Optional<String> config = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        config = Optional.of(args[++i]);
      } else if (a.startsWith("--config=")) {
        config = Optional.of(a.substring("--config=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    return config;
  }

  /** The message of the exception and of its causes, on one line. */
  static String oneLine(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString().replace('\n', ' ');
  }
}
