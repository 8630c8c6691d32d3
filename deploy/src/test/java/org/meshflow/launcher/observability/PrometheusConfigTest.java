package org.meshflow.launcher.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus} as Prometheus itself reads it: {@code promtool} (Debian package
 * {@code prometheus}, installed by {@code .ci/run}) checks the scrape config and the rules, and runs
 * the rule unit tests in {@code rules_test.yml}.
 */
class PrometheusConfigTest {
  private static final Path DIR = Path.of("prometheus");

  @Test
  void theScrapeConfigIsValid() throws Exception {
    assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS: prometheus.yml is valid");
  }

  @Test
  void theRulesAreValid() throws Exception {
    assertThat(promtool("check", "rules", "rules.yml")).contains("SUCCESS: 8 rules found");
  }

  @Test
  void theRulesFireOnMeshflowsSeriesAndOnlyThen() throws Exception {
    assertThat(promtool("test", "rules", "rules_test.yml")).contains("SUCCESS");
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    assumeTrue(onPath("promtool"), "promtool is not installed (apt-get install prometheus); .ci/run installs it");
    final var command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    final Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
