package io.ordo.orderer.admin;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: HTTPS, TLS 1.2+, a client certificate chaining to Admin.TLS.ClientRootCAs
 * required on every connection (any such client is an admin, as in Fabric), serving {@link
 * ParticipationApi} and, where the node has them, the {@link LeadershipApi} routes. Each request
 * runs on a virtual thread.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final HttpsServer server;
  private final ExecutorService executor;

  private AdminServer(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static AdminServer start(InetSocketAddress address, SSLContext tls, ParticipationApi api) {
    return start(address, tls, api, null);
  }

  /**
   * @param leadership the leadership routes, or null for a node without them
   */
  public static AdminServer start(
      InetSocketAddress address,
      SSLContext tls,
      ParticipationApi participation,
      LeadershipApi leadership) {
    HttpHandler api =
        leadership == null
            ? participation
            : exchange -> {
              if (LeadershipApi.serves(exchange.getRequestURI().getPath())) {
                leadership.handle(exchange);
              } else {
                participation.handle(exchange);
              }
            };
    HttpTimeouts.applyFabricDefaults();
    try {
      HttpsServer server = HttpsServer.create(address, 0);
      server.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = tls.getDefaultSSLParameters();
              p.setNeedClientAuth(true);
              p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
              params.setSSLParameters(p);
            }
          });
      server.createContext("/", api);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      server.start();
      LOG.info("admin API listening on {}", server.getAddress());
      return new AdminServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for admin requests on " + address, e);
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
