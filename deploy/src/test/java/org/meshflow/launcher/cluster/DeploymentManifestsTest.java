package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.MeshflowCommands;

/**
 * The Compose file and the Kubernetes manifests start Meshflow with flags and environment variables the
 * launcher really has (read from its option classes, so renaming a flag fails here), and their ports and
 * probes are the ports those settings open.
 */
class DeploymentManifestsTest {
  /** The value of an environment variable a Kubernetes Secret or the pod's fields give. */
  private static final String FROM_CLUSTER = "(secret)";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String IMAGE = "meshflow:latest";
  private static final Pattern FLAG = Pattern.compile("--([a-z][a-z0-9-]*)");

  /** One Meshflow container as a manifest starts it. */
  private record Container(String where, List<String> args, Map<String, String> env, Map<String, Integer> ports) {}

  @Test
  void composeIsValidForDockerComposeAndStartsMeshflowWithRealFlags() throws Exception {
    final var process = new ProcessBuilder("docker-compose", "-f", "compose/docker-compose.yml", "config")
        .redirectErrorStream(true).start();
    final String resolved = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(resolved).isZero();

    final JsonNode services = YAML.readTree(resolved).get("services");
    final var containers = new ArrayList<Container>();
    services.fields().forEachRemaining(service -> {
      final JsonNode s = service.getValue();
      if (!IMAGE.equals(s.path("image").asText())) {
        return;
      }
      final var env = new LinkedHashMap<String, String>();
      s.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      final var ports = new HashMap<String, Integer>();
      s.path("ports").forEach(p -> ports.put("published-" + p.path("published").asText(), p.path("target").asInt()));
      final var container = new Container("compose service " + service.getKey(), strings(s.path("command")), env, ports);
      containers.add(container);
      final String health = String.join(" ", strings(s.path("healthcheck").path("test")));
      assertThat(health).as(container.where()).contains("http://localhost:" + httpPort(container) + "/health");
    });
    assertThat(containers).extracting(c -> c.args().get(0))
        .containsExactlyInAnyOrder("jobs", "jobs", "broker", "sink");
    containers.forEach(DeploymentManifestsTest::checkFlagsAndEnv);
    final Container broker = containers.stream().filter(c -> c.args().get(0).equals("broker")).findFirst().orElseThrow();
    assertThat(broker.ports()).containsEntry("published-1883", Integer.parseInt(setting(broker, "mqtt-port", "1883")));
    assertListeningBeyondLoopback(containers);

    final var kafka = new ArrayList<JsonNode>();
    services.forEach(s -> {
      if (s.path("image").asText().startsWith("apache/kafka:")) {
        kafka.add(s.get("environment"));
      }
    });
    assertThat(kafka).hasSize(3).allSatisfy(env -> {
      assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
      assertThat(env.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asText()).isEqualTo("3");
      assertThat(env.path("KAFKA_MIN_INSYNC_REPLICAS").asText()).isEqualTo("2");
      assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asText()).isEqualTo("2");
    });
  }

  @Test
  void kubernetesManifestsParseAndStartMeshflowWithRealFlags() throws Exception {
    final var docs = new ArrayList<JsonNode>();
    try (Stream<Path> files = Files.list(Path.of("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
          YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
            assertThat(doc.path("kind").asText()).as("kind in %s", file).isNotEmpty();
            docs.add(doc);
          });
        }
      }
    }
    final Map<String, JsonNode> configMaps = new HashMap<>();
    docs.stream().filter(d -> d.path("kind").asText().equals("ConfigMap"))
        .forEach(d -> configMaps.put(d.path("metadata").path("name").asText(), d.path("data")));

    final var containers = new ArrayList<Container>();
    final Map<String, JsonNode> workloads = new LinkedHashMap<>();
    for (JsonNode doc : docs) {
      final String kind = doc.path("kind").asText();
      if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
        continue;
      }
      final JsonNode pod = doc.path("spec").path("template");
      for (JsonNode c : pod.path("spec").path("containers")) {
        if (!IMAGE.equals(c.path("image").asText())) {
          continue;
        }
        final var env = new LinkedHashMap<String, String>();
        c.path("envFrom").forEach(from -> configMaps.getOrDefault(from.path("configMapRef").path("name").asText(),
            YAML.createObjectNode()).fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText())));
        c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(FROM_CLUSTER)));
        final var ports = new HashMap<String, Integer>();
        c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        final var container = new Container(kind + " " + doc.path("metadata").path("name").asText(),
            strings(c.path("args")), env, ports);
        containers.add(container);
        workloads.put(container.args().get(0), doc);
        assertThat(ports).as(container.where()).containsEntry("http", httpPort(container));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          final JsonNode port = c.path(probe).findValue("port");
          if (port != null) {
            assertThat(ports).as("%s %s port", container.where(), probe).containsKey(port.asText());
          }
        }
      }
    }
    assertThat(containers).extracting(c -> c.args().get(0)).containsExactlyInAnyOrder("jobs", "broker", "sink");
    containers.forEach(DeploymentManifestsTest::checkFlagsAndEnv);
    assertListeningBeyondLoopback(containers);

    assertThat(workloads.get("jobs").path("kind").asText()).isEqualTo("Deployment");
    assertThat(workloads.get("jobs").path("spec").path("replicas").asInt()).isEqualTo(2);
    final JsonNode broker = workloads.get("broker");
    assertThat(broker.path("kind").asText()).isEqualTo("StatefulSet");
    final Container brokerContainer = containers.stream().filter(c -> c.args().get(0).equals("broker")).findFirst()
        .orElseThrow();
    assertThat(brokerContainer.ports()).containsEntry("mqtt", Integer.parseInt(setting(brokerContainer, "mqtt-port", "1883")));
    final JsonNode brokerLabels = broker.path("spec").path("template").path("metadata").path("labels");
    assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("Service")
            && d.path("spec").path("type").asText().equals("LoadBalancer"))
        .singleElement().satisfies(service -> {
          service.path("spec").path("selector").fields().forEachRemaining(sel ->
              assertThat(brokerLabels.path(sel.getKey()).asText()).isEqualTo(sel.getValue().asText()));
          assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("mqtt");
        });

    final JsonNode pool = docs.stream().filter(d -> d.path("kind").asText().equals("KafkaNodePool")).findFirst()
        .orElseThrow();
    assertThat(pool.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(strings(pool.path("spec").path("roles"))).containsExactlyInAnyOrder("controller", "broker");
    final JsonNode kafka = docs.stream().filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
    assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
    assertThat(kafka.path("spec").path("kafka").path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
    assertThat(configMaps.get("meshflow").path("MESHFLOW_KAFKA").asText())
        .startsWith(kafka.path("metadata").path("name").asText() + "-kafka-bootstrap:");
  }

  /** Listening beyond the container's loopback (every command binds 127.0.0.1 unless told), so probes reach them. */
  private static void assertListeningBeyondLoopback(List<Container> containers) {
    assertThat(containers).allSatisfy(c ->
        assertThat(setting(c, "bind", "127.0.0.1")).as("--bind of %s", c.where()).isEqualTo("0.0.0.0"));
  }

  /** Every flag in the arguments and every MESHFLOW_ variable is a setting the command has. */
  private static void checkFlagsAndEnv(Container c) {
    final String command = c.args().get(0);
    final Set<String> known = settingsOf(command);
    if (known == null) {
      System.out.println("./meshflow " + command + " is not built on this branch: flags of " + c.where() + " unchecked");
      return;
    }
    final var used = new ArrayList<String>();
    for (String arg : c.args().subList(1, c.args().size())) {
      if (arg.startsWith("--")) {
        used.add(arg.substring(2).split("=", 2)[0]);
      }
    }
    c.env().keySet().stream().filter(k -> k.startsWith("MESHFLOW_"))
        .forEach(k -> used.add(k.substring("MESHFLOW_".length()).toLowerCase(Locale.ROOT).replace('_', '-')));
    assertThat(known).as("settings of ./meshflow %s, used by %s", command, c.where()).containsAll(used);
    if (command.equals("jobs")) {
      // and together they make a valid command: e.g. bound to 0.0.0.0, the jobs have a state secret
      final var env = new HashMap<String, String>(c.env());
      env.replaceAll((name, value) -> value.equals(FROM_CLUSTER) ? "from-the-cluster" : value);
      final Settings settings = Settings.parse(c.args().subList(1, c.args().size()).toArray(String[]::new),
          JobsOptions.SWITCHES, JobsOptions.NAMES, env);
      assertThatCode(() -> {
        McpOptions.parse(settings, settings.string("bind", "127.0.0.1"));
        JobsOptions.parse(settings);
      }).as("./meshflow jobs in %s", c.where()).doesNotThrowAnyException();
    }
  }

  /**
   * The flag names of a command: its option classes, or (for commands built elsewhere) its --help text;
   * null when the command is not built yet.
   */
  private static Set<String> settingsOf(String command) {
    final Set<String> names = new HashSet<>(Set.of("config"));
    switch (command) {
      case "broker" -> names.addAll(BrokerOptions.NAMES);
      case "jobs" -> names.addAll(JobsOptions.NAMES);
      default -> {
        final String help = MeshflowCommands.help(command);
        if (help == null) {
          return null;
        }
        FLAG.matcher(help).results().forEach(m -> names.add(m.group(1)));
        assertThat(names).as("./meshflow %s --help lists its flags: %s", command, help).hasSizeGreaterThan(2);
      }
    }
    return names;
  }

  private static int httpPort(Container c) {
    return Integer.parseInt(setting(c, "http-port", "8080"));
  }

  /** A setting as the command sees it: the flag, else the environment, else its default. */
  private static String setting(Container c, String name, String dflt) {
    final int i = c.args().indexOf("--" + name);
    final String env = c.env().get("MESHFLOW_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    return i >= 0 ? c.args().get(i + 1) : env != null ? env : dflt;
  }

  private static List<String> strings(JsonNode array) {
    final var list = new ArrayList<String>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
