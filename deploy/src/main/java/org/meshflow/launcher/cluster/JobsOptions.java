package org.meshflow.launcher.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.jobs.state.StateSecret;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.Addresses;
import org.meshflow.launcher.run.JobTuning;
import org.meshflow.launcher.run.KafkaClientSettings;

/** The settings of {@code ./meshflow jobs}, validated together. */
record JobsOptions(
    ComponentOptions component,
    Path stateDir,
    String applicationId,
    int partitions,
    int replicationFactor,
    int standbyReplicas,
    JobTuning tuning,
    Map<String, String> jobSettings,
    String stateSecret) {

  private static final String KAFKA_PREFIX = "kafka.";
  /** The job setting that holds the instances' shared secret (see {@code StateSecret}). */
  private static final String STATE_SECRET = "state.secret";
  static final Set<String> SWITCHES = Set.of("help");
  static final Set<String> NAMES = Stream.of(ComponentOptions.NAMES, JobTuning.NAMES, McpOptions.NAMES,
      Set.of("state-dir",
      "application-id", "partitions", "replication-factor", "standby-replicas", "jobs-config", "state-secret",
      "state-secret-file", "help"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  static JobsOptions parse(Settings s) {
    final ComponentOptions component = ComponentOptions.parse(s);
    final Map<String, String> jobSettings = jobsConfig(s);
    final String flagSecret = s.secret("state-secret");
    final String stateSecret = flagSecret != null ? flagSecret : jobSettings.get(STATE_SECRET);
    if (stateSecret != null && !stateSecret.strip().matches("[\\x21-\\x7e]*")) {
      s.error("the state secret may hold only printable ASCII characters without spaces (it travels in an HTTP"
          + " header)");
    }
    if ((stateSecret == null || stateSecret.isBlank()) && !Addresses.isLoopback(component.bind())) {
      s.error("--bind " + component.bind() + " lets anyone who reaches --http-port read the mesh's state at /state"
          + " (node positions included): give every instance of the application id the same --state-secret-file FILE"
          + " (or MESHFLOW_STATE_SECRET)");
    }
    final var options = new JobsOptions(
        component,
        Path.of(s.string("state-dir", "state")),
        s.string("application-id", "meshflow"),
        s.count("partitions", 6, 1, 1000),
        s.count("replication-factor", 3, 1, 7),
        s.count("standby-replicas", 0, 0, 3),
        JobTuning.parse(s),
        jobSettings,
        stateSecret);
    if (!options.applicationId().matches("[a-zA-Z0-9._-]{1,100}")) {
      s.error("--application-id '" + options.applicationId() + "' may hold only letters, digits, '.', '_' and '-'");
    }
    s.check();
    return options;
  }

  /** What {@code StreamJobs} reads: the {@code --jobs-config} file, then the flags. */
  Map<String, String> streamJobSettings() {
    final var base = new HashMap<>(jobSettings);
    base.keySet().removeIf(key -> key.startsWith(KAFKA_PREFIX));
    base.put(org.meshflow.jobs.StreamJobs.APPLICATION_ID_PREFIX, applicationId);
    if (stateSecret != null) {
      base.put(STATE_SECRET, stateSecret);
    }
    return tuning.jobSettings(base);
  }

  /**
   * Kafka Streams and client properties for every job: replication from the flags, then the
   * {@code kafka.*} settings (TLS, SASL, session timeouts) without the prefix.
   */
  Map<String, Object> streamsProperties() {
    final var props = new HashMap<String, Object>();
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    props.putAll(kafkaClients().streams());
    return props;
  }

  /**
   * The {@code kafka.*} entries of {@code --jobs-config}, overridden by those of {@code --config}, the
   * environment and the flags: for the Streams apps and the admin client that creates the topics alike.
   */
  KafkaClientSettings kafkaClients() {
    final var props = new HashMap<String, String>();
    jobSettings.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX)) {
        props.put(key.substring(KAFKA_PREFIX.length()), value);
      }
    });
    props.putAll(component.kafkaProperties());
    return new KafkaClientSettings(component.kafka(), props);
  }

  /** What the other instances must show at /state: a secret, or none when only this machine reaches it. */
  StateSecret stateSecretForEndpoint() {
    return StateSecret.of(stateSecret);
  }


  private static Map<String, String> jobsConfig(Settings s) {
    final String file = s.string("jobs-config", null);
    final var settings = new HashMap<String, String>();
    if (file == null) {
      return settings;
    }
    final var props = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file))) {
      props.load(reader);
    } catch (IOException e) {
      s.error("cannot read --jobs-config " + file + ": " + e.getMessage());
    }
    props.stringPropertyNames().forEach(name -> settings.put(name, props.getProperty(name).trim()));
    return settings;
  }
}
