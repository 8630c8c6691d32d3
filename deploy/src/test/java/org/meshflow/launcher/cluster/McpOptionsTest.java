package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.net.ssl.X509TrustManager;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.embedded.SelfSignedKeyStore;

/** How {@code ./meshflow jobs} and {@code ./meshflow broker} read the MCP settings. */
class McpOptionsTest {

  private static Settings settings(Map<String, String> env, String... args) {
    return Settings.parse(args, JobsOptions.SWITCHES, JobsOptions.NAMES, env);
  }

  private static McpOptions parse(Map<String, String> env, String... args) {
    final Settings s = settings(env, args);
    final McpOptions options = McpOptions.parse(s, s.string("bind", "127.0.0.1"));
    s.check();
    return options;
  }

  @Test
  void withoutMqttNoMcpServerRunsAndTheBindAddressIsAdvertised() {
    final McpOptions options = parse(Map.of(), "--bind", "10.1.2.3");
    assertThat(options.servesMcp()).isFalse();
    assertThat(options.advertisedHost()).isEqualTo("10.1.2.3");
  }

  @Test
  void theBrokerAndThePasswordComeFromFlagsTheEnvironmentOrAFile(@TempDir Path dir) throws Exception {
    final McpOptions fromEnv = parse(Map.of("MESHFLOW_MCP_PASSWORD", "from-env", "MESHFLOW_ADVERTISED_HOST", "jobs-1"),
        "--mqtt", "tcp://broker:1883");
    assertThat(fromEnv.servesMcp()).isTrue();
    assertThat(fromEnv.mqttHost()).isEqualTo("broker");
    assertThat(fromEnv.mqttPort()).isEqualTo(1883);
    assertThat(fromEnv.user()).isEqualTo("meshflow-mcp");
    assertThat(fromEnv.password()).isEqualTo("from-env");
    assertThat(fromEnv.advertisedHost()).isEqualTo("jobs-1");

    final Path secret = Files.writeString(dir.resolve("mcp-password"), "from-file\n");
    final McpOptions fromFile = parse(Map.of(), "--mqtt", "tcp://127.0.0.1:1883", "--mcp-user", "robot",
        "--mcp-password-file", secret.toString());
    assertThat(fromFile.user()).isEqualTo("robot");
    assertThat(fromFile.password()).isEqualTo("from-file");
  }

  @Test
  void everyProblemIsReportedAtOnce(@TempDir Path dir) {
    assertThatThrownBy(() -> parse(Map.of(), "--mqtt", "broker:1883", "--advertised-host", "two words"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--mqtt 'broker:1883' is not tcp://HOST:PORT or ssl://HOST:PORT")
        .hasMessageContaining("--mqtt needs --mcp-password or --mcp-password-file")
        .hasMessageContaining("--advertised-host 'two words' is not a host name or address");
    assertThatThrownBy(() -> parse(Map.of(), "--mqtt", "tcp://b:1883", "--mcp-password", "x",
        "--mcp-password-file", dir.resolve("missing").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--mcp-password and --mcp-password-file exclude each other");
    assertThatThrownBy(() -> parse(Map.of(), "--mqtt", "tcp://b:1883", "--mcp-password-file",
        dir.resolve("missing").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("cannot read --mcp-password-file");
  }

  @Test
  void onAnyAddressButLoopbackTheStateNeedsASharedSecret(@TempDir Path dir) throws Exception {
    final String needed = "--bind 0.0.0.0 lets anyone who reaches --http-port read the mesh's state at /state";
    assertThatThrownBy(() -> JobsOptions.parse(settings(Map.of(), "--kafka", "k:9092", "--registry", "http://r",
        "--bind", "0.0.0.0"))).isInstanceOf(UsageException.class).hasMessageContaining(needed)
        .hasMessageContaining("--state-secret-file FILE");
    // loopback: only this machine reaches the endpoint, which stays open
    final JobsOptions local = JobsOptions.parse(settings(Map.of(), "--kafka", "k:9092", "--registry", "http://r"));
    assertThat(local.stateSecretForEndpoint().isSet()).isFalse();
    assertThat(local.streamJobSettings()).doesNotContainKey("state.secret");

    final Path file = Files.writeString(dir.resolve("state-secret"), "s3cret-of-the-mesh\n");
    final JobsOptions fromFile = JobsOptions.parse(settings(Map.of(), "--kafka", "k:9092", "--registry", "http://r",
        "--bind", "0.0.0.0", "--state-secret-file", file.toString()));
    assertThat(fromFile.stateSecretForEndpoint().isSet()).isTrue();
    // the jobs' state client shows the very secret the endpoint asks for
    assertThat(fromFile.streamJobSettings()).containsEntry("state.secret", "s3cret-of-the-mesh");
    final JobsOptions fromEnv = JobsOptions.parse(settings(Map.of("MESHFLOW_STATE_SECRET", "from-env",
        "MESHFLOW_BIND", "0.0.0.0"), "--kafka", "k:9092", "--registry", "http://r"));
    assertThat(fromEnv.streamJobSettings()).containsEntry("state.secret", "from-env");
    final Path jobsConfig = Files.writeString(dir.resolve("jobs.properties"), "state.secret=from-jobs-config\n");
    final JobsOptions fromJobsConfig = JobsOptions.parse(settings(Map.of(), "--kafka", "k:9092", "--registry",
        "http://r", "--bind", "0.0.0.0", "--jobs-config", jobsConfig.toString()));
    assertThat(fromJobsConfig.stateSecretForEndpoint().isSet()).isTrue();
    assertThat(fromJobsConfig.streamJobSettings()).containsEntry("state.secret", "from-jobs-config");
    assertThatThrownBy(() -> JobsOptions.parse(settings(Map.of(), "--kafka", "k:9092", "--registry", "http://r",
        "--state-secret", "two words"))).isInstanceOf(UsageException.class)
        .hasMessageContaining("the state secret may hold only printable ASCII characters without spaces");
  }

  @Test
  void overTlsTheServerTrustsTheGivenCertificatesOrTheJvms(@TempDir Path dir) throws Exception {
    assertThat(parse(Map.of(), "--mqtt", "tcp://broker:1883", "--mcp-password", "p").tls()).isNull();
    final McpOptions jvmTrust = parse(Map.of(), "--mqtt", "ssl://broker:8883", "--mcp-password", "p");
    assertThat(jvmTrust.mqttPort()).isEqualTo(8883);
    assertThat(jvmTrust.tls()).isNotNull();
    assertThat(jvmTrust.tls().trust()).isNull();

    final var certificates = SelfSignedKeyStore.create(dir, "pw-for-the-store");
    final McpOptions ca = parse(Map.of(), "--mqtt", "ssl://broker:8883", "--mcp-password", "p", "--mqtt-ca",
        certificates.certificate().toString());
    final var trusted = (X509TrustManager) ca.tls().trust().getTrustManagers()[0];
    assertThat(trusted.getAcceptedIssuers()).singleElement()
        .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost"));

    final Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    assertThatThrownBy(() -> parse(Map.of(), "--mqtt", "ssl://broker:8883", "--mcp-password", "p", "--mqtt-ca",
        notPem.toString())).isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--mqtt-ca " + notPem + " is not PEM certificates");
    assertThatThrownBy(() -> parse(Map.of(), "--mqtt", "tcp://broker:1883", "--mcp-password", "p", "--mqtt-ca",
        certificates.certificate().toString())).isInstanceOf(UsageException.class)
        .hasMessage("--mqtt-ca is for a broker reached over TLS: --mqtt ssl://HOST:PORT");
  }
}
