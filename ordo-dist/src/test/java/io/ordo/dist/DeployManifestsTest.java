package io.ordo.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ordo.orderer.config.LocalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static checks of every file under deploy/: no container engine or cluster is reachable here, so
 * each manifest is parsed and checked against what Ordo reads (its orderer.yaml keys, through
 * Ordo's own config loader), against the image's environment and against material the repository's
 * own crypto-config.yaml and configtx.yaml make.
 */
class DeployManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String DATA = "/var/hyperledger/production/orderer";

  @TempDir Path tmp;

  @Test
  void theImageEnvironmentIsFabricsLayoutAndEveryVariableIsAKey() throws IOException {
    Map<String, String> env = NodeEnvironment.imageEnv();
    NodeEnvironment.assertKnown("image.env", env);
    assertThat(env).containsEntry("FABRIC_CFG_PATH", "/etc/hyperledger/fabric");
    LocalConfig c = NodeEnvironment.load(env);
    assertThat(c.general().listenPort()).isEqualTo(7050);
    assertThat(c.general().listenAddress()).isEqualTo("0.0.0.0");
    assertThat(c.admin().listenAddress()).isEqualTo("0.0.0.0:7053");
    assertThat(c.operations().listenAddress()).isEqualTo("0.0.0.0:9443");
    assertThat(c.fileLedger().location()).isEqualTo(Path.of(DATA));
    assertThat(c.consensus().walDir()).startsWithRaw(Path.of(DATA));
    assertThat(c.consensus().snapDir()).startsWithRaw(Path.of(DATA));
    assertThat(c.general().localMspDir()).isEqualTo(Path.of("/var/hyperledger/orderer/msp"));
    assertThat(c.general().tls().certificate())
        .hasValue(Path.of("/var/hyperledger/orderer/tls/server.crt"));

    String script = Files.readString(Repo.file("deploy/image/build-image.sh"));
    assertThat(ports(script, "--port (\\d+)")).containsExactlyInAnyOrder(7050, 7053, 9443);
    assertThat(script)
        .contains("buildah from scratch")
        .contains("debootstrap --variant=minbase")
        .contains("jlink --add-modules")
        .contains("--user \"$uid:$uid\"")
        .contains("mkdir -p \"$root" + DATA + "\"")
        .contains("\"$root/etc/hyperledger/fabric/\"");
  }

  @Test
  void theComposeFileIsFabricsTestNetworkLayoutAndItsMaterialAndGenesisAreMadeFromItsFiles()
      throws IOException {
    Path dir = Repo.file("deploy/compose");
    JsonNode compose = YAML.readTree(dir.resolve("compose-test-net.yaml").toFile());
    JsonNode services = compose.path("services");
    assertThat(services.size()).isEqualTo(3);

    // the material its volumes name, made from its own crypto-config.yaml and configtx.yaml
    Path work = Files.createDirectories(tmp.resolve("compose"));
    Files.copy(dir.resolve("configtx.yaml"), work.resolve("configtx.yaml"));
    Ordo.ok(
        "crypto",
        "generate",
        "--config",
        dir.resolve("crypto-config.yaml").toString(),
        "--output",
        work.resolve("organizations").toString());
    Ordo.ok(
        "genesis",
        "--configPath",
        work.toString(),
        "--profile",
        "ChannelUsingRaft",
        "--channelID",
        "mychannel",
        "--outputBlock",
        work.resolve("mychannel.block").toString());

    Set<String> consenters = consenters(dir.resolve("configtx.yaml"));
    Set<String> fromServices = new TreeSet<>();
    Set<Integer> published = new TreeSet<>();
    for (var it = services.fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      JsonNode s = e.getValue();
      assertThat(s.path("container_name").asText()).isEqualTo(name);
      assertThat(s.path("image").asText()).contains("ordo-orderer");
      Map<String, String> own = new LinkedHashMap<>();
      s.path("environment").forEach(v -> own.putAll(NodeEnvironment.parse(List.of(v.asText()))));
      NodeEnvironment.assertKnown("service " + name, own);
      Map<String, String> env = new HashMap<>(NodeEnvironment.imageEnv());
      env.putAll(own);
      LocalConfig c = NodeEnvironment.load(env);

      int client = c.general().listenPort();
      int admin = NodeEnvironment.port(c.admin().listenAddress());
      int ops = NodeEnvironment.port(c.operations().listenAddress());
      List<String> ports = new ArrayList<>();
      s.path("ports").forEach(p -> ports.add(p.asText()));
      assertThat(ports)
          .containsExactlyInAnyOrder(client + ":" + client, admin + ":" + admin, ops + ":" + ops);
      published.addAll(List.of(client, admin, ops));
      assertThat(c.general().cluster().hasSeparateListener())
          .as("the cluster shares the client port, as in Fabric's test network")
          .isFalse();
      fromServices.add(name + ":" + client);

      Map<String, String> volumes = new HashMap<>();
      s.path("volumes")
          .forEach(
              v -> {
                String[] parts = v.asText().split(":");
                volumes.put(parts[1], parts[0]);
              });
      assertThat(volumes).containsEntry(DATA, name);
      assertThat(compose.path("volumes").has(name)).isTrue();
      String msp = volumes.get(c.general().localMspDir().toString());
      String tls =
          volumes.get(c.general().tls().certificate().orElseThrow().getParent().toString());
      assertThat(msp)
          .isEqualTo("./organizations/ordererOrganizations/example.com/orderers/" + name + "/msp");
      assertThat(tls)
          .isEqualTo("./organizations/ordererOrganizations/example.com/orderers/" + name + "/tls");
      assertThat(work.resolve(msp).resolve("signcerts")).isDirectory();
      assertThat(work.resolve(tls).resolve("server.crt")).isRegularFile();
      assertThat(s.path("networks").get(0).asText()).isEqualTo("test");
    }
    assertThat(consenters).isEqualTo(fromServices);
    assertThat(published).contains(7050, 7053, 9443);
  }

  @Test
  void theSystemdUnitIsHardenedAndItsEnvironmentIsWhatTheNodeReads() throws IOException {
    Map<String, List<String>> service =
        unitSection(
            Files.readAllLines(Repo.file("deploy/systemd/ordo-orderer.service")), "Service");
    assertThat(service.get("User")).containsExactly("ordo");
    assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
    assertThat(service.get("ProtectSystem")).containsExactly("strict");
    assertThat(service.get("ProtectHome")).containsExactly("yes");
    assertThat(service.get("PrivateTmp")).containsExactly("yes");
    assertThat(service.get("CapabilityBoundingSet")).containsExactly("");
    assertThat(service.get("ExecStart")).containsExactly("/opt/ordo/bin/ordo orderer start");
    Map<String, String> env = new HashMap<>();
    service.get("Environment").forEach(e -> env.putAll(NodeEnvironment.parse(List.of(e))));
    NodeEnvironment.assertKnown("the systemd unit", env);
    assertThat(env).containsEntry("FABRIC_CFG_PATH", "/etc/hyperledger/fabric");
    LocalConfig c = NodeEnvironment.load(env);
    List<String> writable = List.of(String.join(" ", service.get("ReadWritePaths")).split("\\s+"));
    for (Path p :
        List.of(c.fileLedger().location(), c.consensus().walDir(), c.consensus().snapDir())) {
      assertThat(writable).as("%s is written by the node", p).anyMatch(w -> p.startsWith(w));
    }
    assertThat(c.general().localMspDir()).isEqualTo(Path.of("/var/hyperledger/orderer/msp"));
  }

  @Test
  void theKubernetesManifestsMountSecretsAndVolumesWhereTheNodeReadsAndKeepQuorum()
      throws IOException, InterruptedException {
    Path dir = Repo.file("deploy/kubernetes");
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(dir.resolve("ordererorg.yaml").toFile())) {
      new ObjectMapper(new YAMLFactory())
          .readValues(parser, JsonNode.class)
          .forEachRemaining(docs::add);
    }
    JsonNode sts = only(docs, "StatefulSet");
    JsonNode pod = sts.path("spec").path("template");
    JsonNode labels = pod.path("metadata").path("labels");
    assertThat(sts.path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
    int replicas = sts.path("spec").path("replicas").asInt();
    assertThat(replicas).isEqualTo(3);
    String serviceName = sts.path("spec").path("serviceName").asText();
    String namespace = sts.path("metadata").path("namespace").asText();

    JsonNode container = pod.path("spec").path("containers").get(0);
    assertThat(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    Map<String, Integer> containerPorts = new HashMap<>();
    container
        .path("ports")
        .forEach(p -> containerPorts.put(p.path("name").asText(), p.path("containerPort").asInt()));
    JsonNode readiness = container.path("readinessProbe").path("httpGet");
    assertThat(readiness.path("path").asText()).isEqualTo("/healthz");
    assertThat(readiness.path("port").asText()).isEqualTo("operations");
    Map<String, String> mounts = new HashMap<>();
    container
        .path("volumeMounts")
        .forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));

    // what each pod's node reads: its own files under the projected volume, by its name
    Map<String, Set<String>> secretKeys = new HashMap<>();
    Set<String> projected = new TreeSet<>();
    String materialVolume =
        mounts.entrySet().stream()
            .filter(e -> e.getKey().equals("/var/hyperledger/orderer"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElseThrow();
    for (JsonNode v : pod.path("spec").path("volumes")) {
      if (v.path("name").asText().equals(materialVolume)) {
        for (JsonNode source : v.path("projected").path("sources")) {
          JsonNode secret = source.path("secret");
          Set<String> keys =
              secretKeys.computeIfAbsent(secret.path("name").asText(), n -> new TreeSet<>());
          secret
              .path("items")
              .forEach(
                  i -> {
                    keys.add(i.path("key").asText());
                    projected.add("/var/hyperledger/orderer/" + i.path("path").asText());
                  });
        }
      }
    }
    for (int i = 0; i < replicas; i++) {
      String podName = sts.path("metadata").path("name").asText() + "-" + i;
      Map<String, String> env = new HashMap<>();
      container
          .path("env")
          .forEach(
              e -> {
                if (e.has("value")) {
                  env.put(
                      e.path("name").asText(),
                      e.path("value").asText().replace("$(POD_NAME)", podName));
                }
              });
      NodeEnvironment.assertKnown("the StatefulSet", env);
      Map<String, String> withImage = new HashMap<>(NodeEnvironment.imageEnv());
      withImage.putAll(env);
      LocalConfig c = NodeEnvironment.load(withImage);
      assertThat(containerPorts)
          .containsEntry("client", c.general().listenPort())
          .containsEntry("cluster", c.general().cluster().listenPort())
          .containsEntry("admin", NodeEnvironment.port(c.admin().listenAddress()))
          .containsEntry("operations", NodeEnvironment.port(c.operations().listenAddress()));
      assertThat(mounts).containsEntry(c.fileLedger().location().toString(), "data");
      Path msp = c.general().localMspDir();
      assertThat(projected)
          .contains(
              msp + "/signcerts/cert.pem",
              msp + "/keystore/priv_sk",
              msp + "/cacerts/ca-cert.pem",
              msp + "/config.yaml");
      for (Path f :
          List.of(
              c.general().tls().certificate().orElseThrow(),
              c.general().tls().privateKey().orElseThrow(),
              c.general().tls().rootCas().get(0),
              c.general().cluster().serverCertificate().orElseThrow(),
              c.admin().tls().clientRootCas().get(0))) {
        assertThat(projected).as("%s read by %s", f, podName).contains(f.toString());
      }
    }
    assertThat(only(docs, "VolumeClaimTemplate", sts)).isNotNull();

    // a Service for each port, aimed at the pods and at a named container port
    Set<String> served = new TreeSet<>();
    for (JsonNode svc : all(docs, "Service")) {
      assertThat(svc.path("spec").path("selector")).isEqualTo(labels);
      svc.path("spec")
          .path("ports")
          .forEach(
              p -> {
                assertThat(containerPorts).containsKey(p.path("targetPort").asText());
                assertThat(p.path("port").asInt())
                    .isEqualTo(containerPorts.get(p.path("targetPort").asText()));
                served.add(p.path("targetPort").asText());
              });
    }
    assertThat(served).containsExactlyInAnyOrder("client", "cluster", "admin", "operations");
    assertThat(all(docs, "Service"))
        .anyMatch(
            s ->
                s.path("metadata").path("name").asText().equals(serviceName)
                    && s.path("spec").path("clusterIP").asText().equals("None"));

    JsonNode pdb = only(docs, "PodDisruptionBudget");
    assertThat(pdb.path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
    assertThat(pdb.path("spec").path("minAvailable").asInt())
        .as("a raft quorum")
        .isEqualTo(replicas / 2 + 1);

    // the Secrets make-secrets.sh writes from the material of its crypto-config.yaml
    Path work = Files.createDirectories(tmp.resolve("k8s"));
    Files.copy(dir.resolve("configtx.yaml"), work.resolve("configtx.yaml"));
    Ordo.ok(
        "crypto",
        "generate",
        "--config",
        dir.resolve("crypto-config.yaml").toString(),
        "--output",
        work.resolve("crypto").toString());
    Ordo.ok(
        "genesis",
        "--configPath",
        work.toString(),
        "--profile",
        "ChannelUsingRaft",
        "--channelID",
        "mychannel",
        "--outputBlock",
        work.resolve("mychannel.block").toString());
    Processes.Result secrets =
        Processes.run(
            work,
            Map.of(),
            java.time.Duration.ofMinutes(1),
            List.of("bash", dir.resolve("make-secrets.sh").toString(), "crypto"));
    assertThat(secrets.exit()).as(secrets.err()).isZero();
    Map<String, Set<String>> made = new HashMap<>();
    try (var parser = new YAMLFactory().createParser(secrets.out())) {
      new ObjectMapper(new YAMLFactory())
          .readValues(parser, JsonNode.class)
          .forEachRemaining(
              d -> {
                assertThat(d.path("metadata").path("namespace").asText()).isEqualTo(namespace);
                Set<String> keys = new TreeSet<>();
                d.path("data").fieldNames().forEachRemaining(keys::add);
                made.put(d.path("metadata").path("name").asText(), keys);
              });
    }
    secretKeys.forEach(
        (name, keys) -> assertThat(made.get(name)).as("Secret %s", name).containsAll(keys));
    Set<String> hosts = new TreeSet<>();
    for (int i = 0; i < replicas; i++) {
      hosts.add(
          "orderer-"
              + i
              + "."
              + serviceName
              + "."
              + namespace
              + ".svc.cluster.local:"
              + containerPorts.get("cluster"));
    }
    assertThat(consenters(dir.resolve("configtx.yaml"))).isEqualTo(hosts);
  }

  @Test
  void prometheusScrapesEveryComposeNodesOperationsEndpoint() throws IOException {
    JsonNode prom = YAML.readTree(Repo.file("deploy/prometheus/prometheus.yml").toFile());
    Set<String> targets = new TreeSet<>();
    for (JsonNode job : prom.path("scrape_configs")) {
      if (job.path("job_name").asText().equals("ordo-orderers")) {
        assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        job.path("static_configs")
            .forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
      }
    }
    Set<String> expected = new TreeSet<>();
    JsonNode services =
        YAML.readTree(Repo.file("deploy/compose/compose-test-net.yaml").toFile()).path("services");
    services
        .fields()
        .forEachRemaining(
            e ->
                e.getValue()
                    .path("environment")
                    .forEach(
                        v -> {
                          if (v.asText().startsWith("ORDERER_OPERATIONS_LISTENADDRESS=")) {
                            expected.add(v.asText().substring(v.asText().indexOf('=') + 1));
                          }
                        }));
    assertThat(targets).isEqualTo(expected);
  }

  private static Set<Integer> ports(String text, String regex) {
    Set<Integer> out = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  /** host:port of every consenter of the Orderer defaults, which the profile takes. */
  @SuppressWarnings("unchecked")
  private static Set<String> consenters(Path configtx) throws IOException {
    // snakeyaml, for configtx.yaml's anchors and aliases
    Map<String, Object> c = new org.yaml.snakeyaml.Yaml().load(Files.readString(configtx));
    Map<String, Object> raft =
        (Map<String, Object>) ((Map<String, Object>) c.get("Orderer")).get("EtcdRaft");
    Set<String> out = new TreeSet<>();
    for (Object o : (List<Object>) raft.get("Consenters")) {
      Map<String, Object> n = (Map<String, Object>) o;
      out.add(n.get("Host") + ":" + n.get("Port"));
    }
    return out;
  }

  private static Map<String, List<String>> unitSection(List<String> lines, String section) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String current = "";
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
        continue;
      }
      if (l.startsWith("[")) {
        current = l.substring(1, l.indexOf(']'));
        continue;
      }
      if (current.equals(section)) {
        int eq = l.indexOf('=');
        out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
      }
    }
    return out;
  }

  private static List<JsonNode> all(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = all(docs, kind);
    assertThat(found).as("one %s", kind).hasSize(1);
    return found.get(0);
  }

  private static JsonNode only(List<JsonNode> docs, String what, JsonNode sts) {
    JsonNode t = sts.path("spec").path("volumeClaimTemplates");
    assertThat(t).as(what).hasSize(1);
    assertThat(t.get(0).path("metadata").path("name").asText()).isEqualTo("data");
    return t.get(0);
  }
}
