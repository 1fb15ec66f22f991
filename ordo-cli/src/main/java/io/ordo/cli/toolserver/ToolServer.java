package io.ordo.cli.toolserver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Accepts {@link ToolProtocol} requests on 127.0.0.1 and runs each on its own thread, until it has
 * been idle for its idle time, {@code current} turns false (the jar was replaced) or it is closed.
 * A request's thread is not a daemon: a command under way ends before the JVM does.
 */
public final class ToolServer implements AutoCloseable {
  /** How long a client may take to send its request. */
  private static final Duration REQUEST_READ = Duration.ofSeconds(10);

  private final ServerSocket socket;
  private final String token;
  private final Duration idle;
  private final BooleanSupplier current;
  private final Consumer<String> log;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
  private final AtomicLong served = new AtomicLong();
  private final ScheduledExecutorService watchdog;

  private ToolServer(
      ServerSocket socket,
      String token,
      Duration idle,
      BooleanSupplier current,
      Consumer<String> log) {
    this.socket = socket;
    this.token = token;
    this.idle = idle;
    this.current = current;
    this.log = log;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("tool-server-idle").unstarted(r));
  }

  /**
   * A server on a free port of 127.0.0.1.
   *
   * @param token what every request must carry
   * @param idle how long without a request before it stops
   * @param current false once this server should stop taking requests (its jar changed)
   * @param log where its one-line events go (never a token or a command's values)
   */
  public static ToolServer bind(
      String token, Duration idle, BooleanSupplier current, Consumer<String> log)
      throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new ToolServer(s, token, idle, current, log);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Requests served so far. */
  public long served() {
    return served.get();
  }

  /** Takes requests until the server stops; returns why it stopped. */
  public String serve() {
    long period = Math.max(50, Math.min(idle.toMillis() / 4, 5_000));
    AtomicReference<String> why = new AtomicReference<>("closed");
    watchdog.scheduleWithFixedDelay(
        () -> {
          String reason = stopReason();
          if (reason != null) {
            why.set(reason);
            close();
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    long n = 0;
    while (!socket.isClosed()) {
      Socket c;
      try {
        c = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.accept("accept failed: " + e.getMessage());
        }
        continue;
      }
      active.incrementAndGet();
      Thread.ofPlatform().name("tool-request-" + ++n).start(() -> handle(c));
    }
    watchdog.shutdownNow();
    return why.get();
  }

  private String stopReason() {
    if (!current.getAsBoolean()) {
      return "the jar changed";
    }
    if (active.get() == 0 && System.nanoTime() - lastActive.get() > idle.toNanos()) {
      return "idle for " + idle;
    }
    return null;
  }

  private void handle(Socket c) {
    long start = System.nanoTime();
    try (c) {
      c.setSoTimeout((int) REQUEST_READ.toMillis());
      InputStream in = new BufferedInputStream(c.getInputStream());
      OutputStream out = new BufferedOutputStream(c.getOutputStream());
      ToolRequest request;
      try {
        request = ToolProtocol.read(in, token);
      } catch (ToolRequestException e) {
        log.accept("refused a request: " + e.getMessage());
        ToolProtocol.frame(out, ToolProtocol.REFUSED, "ordo tool server: " + e.getMessage());
        drain(c, in);
        return;
      }
      c.setSoTimeout(0);
      ToolProtocol.frame(out, ToolProtocol.ACCEPTED, "");
      long number = served.incrementAndGet();
      int exit =
          ToolCommands.run(
              request, writer(out, ToolProtocol.STDOUT), writer(out, ToolProtocol.STDERR));
      synchronized (out) {
        ToolProtocol.frame(out, ToolProtocol.EXIT, String.valueOf(exit));
      }
      log.accept(
          "request "
              + number
              + ": "
              + request.commandName()
              + " in "
              + request.cwd()
              + ", exit "
              + exit
              + ", "
              + (System.nanoTime() - start) / 1_000_000
              + " ms");
    } catch (IOException e) {
      log.accept("a request's connection failed: " + e.getMessage());
    } finally {
      lastActive.set(System.nanoTime());
      active.decrementAndGet();
    }
  }

  private static PrintWriter writer(OutputStream out, byte tag) {
    return new PrintWriter(
        new OutputStreamWriter(new FramedOutput(out, tag), StandardCharsets.UTF_8), true);
  }

  // reads what the client still sends after a refusal, so that closing does not reset the
  // connection before the client has read why
  private static void drain(Socket c, InputStream in) throws IOException {
    c.shutdownOutput();
    c.setSoTimeout(1_000);
    try {
      long left = ToolProtocol.MAX_REQUEST;
      while (left > 0 && in.read() >= 0) {
        left--;
      }
    } catch (IOException e) {
      // the client went away: nothing more to do
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.accept("closing the listener failed: " + e.getMessage());
    }
  }
}
