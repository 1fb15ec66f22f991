package io.ordo.cli.toolserver;

import io.ordo.cli.DurationConverter;
import io.ordo.fabric.crypto.CryptoProvider;
import io.ordo.orderer.server.OrdererMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code java -cp ordo.jar io.ordo.cli.toolserver.ToolServerMain DIR KEY JAR}, started in the
 * background by {@code bin/ordo}: serves the short commands until idle for {@value #IDLE_ENV}
 * (default 10m) or until JAR changes. Logs one line per event to stderr, which the launcher sends
 * to {@code DIR/KEY.log}.
 */
public final class ToolServerMain {
  static final String IDLE_ENV = "ORDO_TOOL_SERVER_IDLE";
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private ToolServerMain() {}

  public static void main(String[] args) throws IOException {
    Consumer<String> log =
        line ->
            System.err.println(
                LocalDateTime.now().format(TIME)
                    + " tool server "
                    + ProcessHandle.current().pid()
                    + ": "
                    + line);
    if (args.length != 3) {
      log.accept("usage: ToolServerMain DIR KEY JAR");
      System.exit(2);
    }
    Duration idle;
    try {
      idle =
          Optional.ofNullable(System.getenv(IDLE_ENV))
              .filter(v -> !v.isBlank())
              .map(v -> new DurationConverter().convert(v))
              .orElse(DEFAULT_IDLE);
    } catch (TypeConversionException e) {
      log.accept(IDLE_ENV + ": " + e.getMessage() + "; not starting");
      System.exit(2);
      return;
    }
    // the commands served are those that start faster on the JDK's crypto, as run directly
    System.getProperties().putIfAbsent(CryptoProvider.PROPERTY, "jdk");
    OrdererMain.quietNettyLeakDetection();
    Path jar = Path.of(args[2]);
    String jarAtStart = identity(jar);
    Optional<ToolServerFiles> taken = ToolServerFiles.take(Path.of(args[0]), args[1]);
    if (taken.isEmpty()) {
      log.accept("another tool server holds key " + args[1] + "; leaving it the work");
      return;
    }
    try (ToolServerFiles files = taken.get()) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      String token = HexFormat.of().formatHex(secret);
      try (ToolServer server =
          ToolServer.bind(token, idle, () -> jarAtStart.equals(identity(jar)), log)) {
        files.publish(server.port(), token);
        log.accept(
            "listening on 127.0.0.1:"
                + server.port()
                + " for "
                + jar
                + " on JDK "
                + Runtime.version()
                + " ("
                + System.getProperty("java.home")
                + "); stops after "
                + idle.toSeconds()
                + " s idle");
        String why = server.serve();
        log.accept("stopping: " + why + ", " + server.served() + " request(s) served");
      }
    }
  }

  // size and modification time: what bin/ordo keys the server by, cheap enough to check often
  private static String identity(Path jar) {
    try {
      BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
      return a.size() + "." + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return "gone";
    }
  }
}
