package io.ordo.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, built by deploy/image/build-image.sh from the release archive, then run as
 * its config says (entrypoint, user, environment, working folder) from its mounted root file
 * system: {@code buildah mount}, then {@code unshare} (own PID namespace and /proc) and {@code
 * chroot} as the image's user. No container runtime runs it because on this kind of machine none
 * can set the rlimits it asks for; the network namespace is the host's, so its ports are overridden
 * with free ones, as an operator would with ORDERER_* variables. The node joins a channel and
 * orders a bench.
 */
@Tag("image")
class ImageIT {
  private static final Duration BUILD = Duration.ofMinutes(20);
  private static final Duration COMMAND = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private String container;
  private Process node;

  @AfterEach
  void cleanUp() throws Exception {
    if (node != null) {
      Processes.stop(node, Duration.ofSeconds(15));
    }
    if (container != null) {
      buildah("umount", container);
      buildah("rm", container);
    }
  }

  @Test
  void theImageFollowsFabricsConventionsStartsJoinsAndOrders() throws Exception {
    assumeTrue(isRoot(), "image tests need root (debootstrap, buildah's storage); skipped");
    for (String tool : List.of("buildah", "debootstrap", "unshare", "chroot", "jlink", "jdeps")) {
      assumeTrue(onPath(tool), tool + " is not on PATH; image tests skipped");
    }
    Path root = Path.of(System.getProperty("ordo.root")).toAbsolutePath().normalize();
    Path archive = Path.of(System.getProperty("ordo.release.archive"));
    String image = "localhost/ordo-orderer:" + System.getProperty("ordo.version");
    Map<String, String> buildEnv = new HashMap<>();
    buildEnv.put("ORDO_IMAGE_CACHE", root.resolve("ordo-dist/target/image-cache").toString());
    buildEnv.put(
        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Processes.Result build =
        Processes.run(
            root,
            buildEnv,
            BUILD,
            List.of(
                root.resolve("deploy/image/build-image.sh").toString(), archive.toString(), image));
    assertThat(build.exit()).as(build.both()).isZero();

    JsonNode config = JSON.readTree(buildah("inspect", "--type", "image", image).out());
    JsonNode oci = config.path("OCIv1").path("config");
    Map<String, String> env = new HashMap<>();
    oci.path("Env").forEach(e -> env.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
    assertThat(env)
        .containsEntry("FABRIC_CFG_PATH", "/etc/hyperledger/fabric")
        .containsEntry("ORDERER_FILELEDGER_LOCATION", "/var/hyperledger/production/orderer")
        .containsEntry("ORDERER_GENERAL_LISTENPORT", "7050")
        .containsEntry("ORDERER_ADMIN_LISTENADDRESS", "0.0.0.0:7053")
        .containsEntry("ORDERER_OPERATIONS_LISTENADDRESS", "0.0.0.0:9443");
    List<String> ports = new ArrayList<>();
    oci.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("7050/tcp", "7053/tcp", "9443/tcp");
    String user = oci.path("User").asText();
    assertThat(user).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
    assertThat(config.path("OCIv1").path("rootfs").path("diff_ids")).hasSize(1);

    // the node's own material, made beside the image and placed where the environment says
    Path material = tmp.resolve("material");
    Files.createDirectories(material);
    Path samples = root.resolve("ordo-dist/src/dist/config");
    for (String f : List.of("configtx.yaml", "crypto-config.yaml")) {
      Files.copy(samples.resolve(f), material.resolve(f));
    }
    ordo(
        "crypto",
        "generate",
        "--config",
        material.resolve("crypto-config.yaml").toString(),
        "--output",
        material.resolve("crypto").toString());
    ordo(
        "genesis",
        "--configPath",
        material.toString(),
        "--profile",
        "ChannelUsingRaft",
        "--channelID",
        "mychannel",
        "--outputBlock",
        material.resolve("mychannel.block").toString());

    container = buildah("from", image).out().strip();
    Path mnt = Path.of(buildah("mount", container).out().strip());
    Path nodeDir =
        material.resolve("crypto/ordererOrganizations/example.com/orderers/orderer.example.com");
    copyTree(nodeDir.resolve("msp"), mnt.resolve("var/hyperledger/orderer/msp"));
    copyTree(nodeDir.resolve("tls"), mnt.resolve("var/hyperledger/orderer/tls"));
    ok(
        Processes.run(
            tmp,
            Map.of(),
            COMMAND,
            List.of("chown", "-R", user, mnt.resolve("var/hyperledger/orderer").toString())));

    int client = FreePorts.next();
    int admin = FreePorts.next();
    int ops = FreePorts.next();
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--fork",
                "--pid",
                "--mount",
                "--mount-proc=" + mnt.resolve("proc"),
                "chroot",
                "--userspec=" + user,
                mnt.toString(),
                "/usr/bin/env",
                "-i"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.add("ORDERER_GENERAL_LISTENPORT=" + client);
    command.add("ORDERER_ADMIN_LISTENADDRESS=0.0.0.0:" + admin);
    command.add("ORDERER_OPERATIONS_LISTENADDRESS=0.0.0.0:" + ops);
    command.addAll(
        List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", oci.path("WorkingDir").asText()));
    oci.path("Entrypoint").forEach(e -> command.add(e.asText()));
    Path log = tmp.resolve("node.log");
    node = Processes.start(tmp, Map.of(), log, command);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .failFast("the image's node exited; see " + log, () -> !node.isAlive())
        .until(() -> status(http, "http://127.0.0.1:" + ops + "/healthz") == 200);

    Path org = material.resolve("crypto/ordererOrganizations/example.com");
    String tlsCa = org.resolve("tlsca/tlsca.example.com-cert.pem").toString();
    String join =
        ordo(
            "channel",
            "join",
            "-o",
            "127.0.0.1:" + admin,
            "--ca-file",
            tlsCa,
            "--client-cert",
            org.resolve("users/Admin@example.com/tls/client.crt").toString(),
            "--client-key",
            org.resolve("users/Admin@example.com/tls/client.key").toString(),
            "--channelID",
            "mychannel",
            "--config-block",
            material.resolve("mychannel.block").toString());
    assertThat(join).contains("Status: 201");
    String bench =
        ordo(
            "bench",
            "-o",
            "127.0.0.1:" + client,
            "--channel",
            "mychannel",
            "--ca",
            tlsCa,
            "--msp",
            material
                .resolve(
                    "crypto/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp")
                .toString(),
            "--mspid",
            "Org1MSP",
            "--tx",
            "200",
            "--timeout",
            "1m");
    assertThat(bench).contains("200 of 200");

    // the data went where Fabric keeps an orderer's, owned by the image's user
    Path data = mnt.resolve("var/hyperledger/production/orderer");
    try (Stream<Path> files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile).count()).isPositive();
    }
    String owner =
        Processes.run(
                tmp,
                Map.of(),
                COMMAND,
                List.of("stat", "-c", "%u:%g", data.resolve("etcdraft").toString()))
            .out()
            .strip();
    assertThat(owner).isEqualTo(user);
  }

  private static String ordo(String... args) {
    return Ordo.ok(args);
  }

  private Processes.Result buildah(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("buildah"));
    command.addAll(List.of(args));
    return ok(Processes.run(tmp, Map.of(), COMMAND, command));
  }

  private static Processes.Result ok(Processes.Result r) {
    assertThat(r.exit()).as(r.both()).isZero();
    return r;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Processes.Result id = Processes.run(Path.of("/"), Map.of(), COMMAND, List.of("id", "-u"));
    return id.exit() == 0 && id.out().strip().equals("0");
  }

  private static boolean onPath(String tool) throws IOException, InterruptedException {
    return Processes.run(Path.of("/"), Map.of(), COMMAND, List.of("sh", "-c", "command -v " + tool))
            .exit()
        == 0;
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
