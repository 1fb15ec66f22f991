package io.ordo.orderer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordo.orderer.testing.TestBlocks;
import io.ordo.orderer.testing.TestChannelConfig;
import io.ordo.orderer.testing.TestOrg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParticipationApiTest {
  private static final TestOrg ORDERER_ORG = new TestOrg("OrdererMSP");
  private static final TestOrg ORG1 = new TestOrg("Org1MSP");
  private static final TestOrg ADMIN_CLIENTS = new TestOrg("AdminsMSP");
  private static final TestOrg OTHER = new TestOrg("OtherMSP");
  private static final TestOrg.TlsIdentity SERVER = ORDERER_ORG.tls("localhost");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  /** The node side: channels in a map. */
  private static final class Manager implements ChannelManager {
    final Map<String, ChannelInfo> channels = new ConcurrentHashMap<>();

    @Override
    public List<ChannelInfo> channels() {
      return new ArrayList<>(channels.values());
    }

    @Override
    public Optional<ChannelInfo> channel(String id) {
      return Optional.ofNullable(channels.get(id));
    }

    @Override
    public ChannelInfo join(String id, Block block) {
      if (channels.containsKey(id)) {
        throw new ChannelManagerException(
            ChannelManagerException.Kind.ALREADY_EXISTS, "channel already exists");
      }
      ChannelInfo info = new ChannelInfo(id, "consenter", "active", 1);
      channels.put(id, info);
      return info;
    }

    @Override
    public Optional<LedgerDetails> ledgerDetails(String id) {
      return channels.containsKey(id) ? Optional.of(new LedgerDetails(120, 50)) : Optional.empty();
    }

    @Override
    public void remove(String id) {
      if (channels.remove(id) == null) {
        throw new ChannelManagerException(
            ChannelManagerException.Kind.NOT_FOUND, "channel does not exist");
      }
    }
  }

  private final Manager manager = new Manager();
  private AdminServer server;
  private HttpClient admin;

  @BeforeEach
  void start() {
    server =
        AdminServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            ServerTls.context(
                SERVER.keys().getPrivate(),
                List.of(SERVER.certificate()),
                List.of(ADMIN_CLIENTS.tlsCa.certificate())),
            new ParticipationApi(
                manager,
                MAX_BODY,
                List.of(
                    new ChannelDetail() {
                      @Override
                      public String key() {
                        return "certificates";
                      }

                      @Override
                      public java.util.Optional<Object> of(String channel) {
                        return java.util.Optional.of(List.of(java.util.Map.of("kind", channel)));
                      }
                    },
                    new LedgerDetail(manager))));
    admin = HttpsClients.client(ORDERER_ORG.tlsCa.certificate(), ADMIN_CLIENTS.tls("admin"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + server.address().getPort() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return admin.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private static byte[] genesis(String channel) {
    return TestBlocks.genesis(
            channel, new TestChannelConfig().ordererOrg(ORDERER_ORG).applicationOrg(ORG1).build())
        .toByteArray();
  }

  private static final String BOUNDARY = "ordo-test-boundary";

  /** A multipart body with one part per (name, fileName or null, content). */
  private static byte[] multipart(Object[]... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object[] p : parts) {
      out.write(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String disposition = "Content-Disposition: form-data; name=\"" + p[0] + "\"";
      if (p[1] != null) {
        disposition += "; filename=\"" + p[1] + "\"";
      }
      out.write(
          (disposition + "\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write((byte[]) p[2]);
      out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpResponse<String> join(byte[] body) throws Exception {
    return post(body, "multipart/form-data; boundary=" + BOUNDARY);
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String error)
      throws IOException {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(json(r).get("error").asText()).startsWith(error);
  }

  @Test
  void joinListGetRemoveFollowFabricsStatusCodesAndBodies() throws Exception {
    HttpResponse<String> empty = get(ParticipationApi.CHANNELS);
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).isEqualTo("{\"systemChannel\":null,\"channels\":null}\n");
    assertThat(empty.headers().firstValue("Cache-Control")).contains("no-store");

    HttpResponse<String> joined =
        join(multipart(new Object[] {"config-block", "mychannel.block", genesis("mychannel")}));
    assertThat(joined.statusCode()).isEqualTo(201);
    assertThat(joined.headers().firstValue("Location"))
        .contains("/participation/v1/channels/mychannel");
    assertThat(joined.body())
        .isEqualTo(
            "{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\","
                + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1}\n");

    assertThat(json(get(ParticipationApi.CHANNELS)).get("channels").get(0).get("url").asText())
        .isEqualTo("/participation/v1/channels/mychannel");
    assertThat(json(get(ParticipationApi.CHANNELS + "/mychannel")).get("height").asLong())
        .isEqualTo(1);

    HttpResponse<String> again =
        join(multipart(new Object[] {"config-block", "b", genesis("mychannel")}));
    assertError(again, 405, "cannot join: channel already exists");
    assertThat(again.headers().firstValue("Allow")).contains("GET, DELETE");

    HttpResponse<String> removed =
        send(HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS + "/mychannel")).DELETE());
    assertThat(removed.statusCode()).isEqualTo(204);
    assertError(get(ParticipationApi.CHANNELS + "/mychannel"), 404, "channel does not exist");
    assertError(
        send(HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS + "/mychannel")).DELETE()),
        404,
        "cannot remove: channel does not exist");
  }

  /**
   * Ordo's detailed view only when asked with {@code ?details=true}: each channel gains an {@code
   * "ordo"} object of the node's detail parts; without the parameter the bodies are Fabric's.
   */
  @Test
  void detailsAreAddedOnlyWhenAskedFor() throws Exception {
    join(multipart(new Object[] {"config-block", "mychannel.block", genesis("mychannel")}));
    assertThat(get(ParticipationApi.CHANNELS).body())
        .isEqualTo(
            "{\"systemChannel\":null,\"channels\":[{\"name\":\"mychannel\","
                + "\"url\":\"/participation/v1/channels/mychannel\"}]}\n");
    assertThat(get(ParticipationApi.CHANNELS + "/mychannel").body()).doesNotContain("ordo");

    String detailed =
        "{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\","
            + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":1,"
            + "\"ordo\":{\"certificates\":[{\"kind\":\"mychannel\"}],"
            + "\"ledger\":{\"firstBlock\":120,\"keepBlocks\":50}}}";
    assertThat(get(ParticipationApi.CHANNELS + "?details=true").body())
        .isEqualTo("{\"systemChannel\":null,\"channels\":[" + detailed + "]}\n");
    assertThat(get(ParticipationApi.CHANNELS + "/mychannel?details=true").body())
        .isEqualTo(detailed + "\n");
  }

  @Test
  void theDetailedViewAddsTheLedgerOnlyWhenAskedAndFabricsAnswersStayAsTheyAre() throws Exception {
    manager.channels.put("mychannel", new ChannelInfo("mychannel", "consenter", "active", 170));
    String fabricOne =
        "{\"name\":\"mychannel\",\"url\":\"/participation/v1/channels/mychannel\","
            + "\"consensusRelation\":\"consenter\",\"status\":\"active\",\"height\":170}\n";
    assertThat(get(ParticipationApi.CHANNELS + "/mychannel").body()).isEqualTo(fabricOne);
    assertThat(get(ParticipationApi.CHANNELS).body())
        .isEqualTo(
            "{\"systemChannel\":null,\"channels\":[{\"name\":\"mychannel\","
                + "\"url\":\"/participation/v1/channels/mychannel\"}]}\n");
    assertThat(get(ParticipationApi.CHANNELS + "/mychannel?details=false").body())
        .isEqualTo(fabricOne);

    HttpResponse<String> one = get(ParticipationApi.CHANNELS + "/mychannel?details=true");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body())
        .isEqualTo(
            fabricOne.substring(0, fabricOne.length() - 2)
                + ",\"ordo\":{\"certificates\":[{\"kind\":\"mychannel\"}],"
                + "\"ledger\":{\"firstBlock\":120,\"keepBlocks\":50}}}\n");
    JsonNode all = json(get(ParticipationApi.CHANNELS + "?details"));
    assertThat(all.get("channels").get(0).get("height").asLong()).isEqualTo(170);
    assertThat(all.get("channels").get(0).get("ordo").get("ledger").get("firstBlock").asLong())
        .isEqualTo(120);
  }

  @Test
  void aRefusalWithABodyLeftUnreadKeepsTheConnectionForTheNextRequest() throws Exception {
    javax.net.ssl.SSLSocketFactory tls =
        HttpsClients.sslContext(ORDERER_ORG.tlsCa.certificate(), ADMIN_CLIENTS.tls("admin"))
            .getSocketFactory();
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) tls.createSocket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      byte[] body = new byte[100_000]; // refused on its Content-Type, before it is read
      out.write(
          ("POST "
                  + ParticipationApi.CHANNELS
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 400");
      out.write(
          ("GET " + ParticipationApi.CHANNELS + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in))
          .as("the second request on the same connection")
          .startsWith("HTTP/1.1 200");
    }
  }

  /** One HTTP/1.1 response with a Content-Length body: its head, after the body was read. */
  private static String readResponse(java.io.InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head + "<connection closed>";
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.toString();
  }

  /**
   * A client that writes a whole body over MaxRequestBodySize before it reads the answer (as HTTP
   * clients do) gets the 400: the server reads the rest of the body (up to a bound) before it
   * answers, instead of closing the connection on unread bytes, which resets it and throws the
   * answer away before the client reads it.
   */
  @Test
  void anOversizedBodyWrittenWholeBeforeTheAnswerIsReadIsAnsweredNotReset() throws Exception {
    byte[] body = multipart(new Object[] {"config-block", "big", new byte[MAX_BODY * 16]});
    SSLContext tls =
        HttpsClients.sslContext(ORDERER_ORG.tlsCa.certificate(), ADMIN_CLIENTS.tls("admin"));
    for (int i = 0; i < 3; i++) {
      try (SSLSocket socket =
          (SSLSocket)
              tls.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST "
                    + ParticipationApi.CHANNELS
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
                    + BOUNDARY
                    + "\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String answer =
            new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(answer).isEqualTo("HTTP/1.1 400");
      }
    }
  }

  @Test
  void badJoinRequestsGetFabricsErrorsAndTheServerKeepsServing() throws Exception {
    assertError(
        post("{}".getBytes(StandardCharsets.UTF_8), "application/json"),
        400,
        "unsupported Content-Type: [application/json]");
    assertError(
        join("garbage without any boundary".getBytes(StandardCharsets.UTF_8)),
        400,
        "cannot read form from request body: ");
    assertError(
        join(multipart(new Object[] {"config-block", "big", new byte[MAX_BODY + 1]})),
        400,
        "cannot read form from request body: http: request body too large");
    assertError(
        join(multipart(new Object[] {"other", "x.block", genesis("mychannel")})),
        400,
        "form does not contains part key: config-block");
    assertError(
        join(
            multipart(
                new Object[] {"config-block", "x.block", genesis("mychannel")},
                new Object[] {"comment", null, "hello".getBytes(StandardCharsets.UTF_8)})),
        400,
        "form contains too many parts");
    assertError(
        join(multipart(new Object[] {"config-block", "x.block", new byte[] {(byte) 0xff, 1, 2}})),
        400,
        "cannot unmarshal file part config-block into a block: ");
    Block notConfig = TestBlocks.after(Block.parseFrom(genesis("mychannel")), List.of());
    assertError(
        join(multipart(new Object[] {"config-block", "x.block", notConfig.toByteArray()})),
        400,
        "invalid join block: ");
    assertThat(manager.channels).isEmpty();
    assertThat(get(ParticipationApi.CHANNELS).statusCode()).isEqualTo(200);
  }

  @Test
  void routesRefuseBadIdsMethodsAndAcceptHeaders() throws Exception {
    assertError(
        get(ParticipationApi.CHANNELS + "/My_Channel"),
        400,
        "invalid channel ID: 'My_Channel' contains illegal characters");
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS + "/mychannel"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
    assertError(put, 405, "invalid request method: PUT");
    assertThat(put.headers().firstValue("Allow")).contains("GET, DELETE");
    HttpResponse<String> patch =
        send(
            HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    assertThat(patch.headers().firstValue("Allow")).contains("GET, POST");
    assertError(
        send(
            HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS))
                .header("Accept", "text/html")
                .GET()),
        406,
        "response Content-Type is application/json only");
    HttpResponse<String> base = get(ParticipationApi.BASE + "/");
    assertThat(base.statusCode()).isEqualTo(302);
    assertThat(base.headers().firstValue("Location")).contains(ParticipationApi.CHANNELS);
  }

  @Test
  void clientsWithoutACertificateFromTheAdminRootsAreRefusedAtTheHandshake() throws Exception {
    HttpRequest list = HttpRequest.newBuilder(uri(ParticipationApi.CHANNELS)).GET().build();
    HttpClient anonymous = HttpsClients.client(ORDERER_ORG.tlsCa.certificate(), null);
    assertThatThrownBy(() -> anonymous.send(list, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    HttpClient stranger = HttpsClients.client(ORDERER_ORG.tlsCa.certificate(), OTHER.tls("x"));
    assertThatThrownBy(() -> stranger.send(list, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(admin.send(list, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }
}
