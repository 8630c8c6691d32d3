package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;

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
        .hasMessageContaining("--mqtt 'broker:1883' is not tcp://HOST:PORT")
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
}
