package org.meshflow.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees of a new version's broker defaults when DATA/broker.xml is already there. */
class BrokerConfigUpgradeTest {
  @TempDir Path data;
  private final List<String> said = new ArrayList<>();

  private static String template() throws Exception {
    try (InputStream in = BrokerConfigUpgradeTest.class.getResourceAsStream("/meshflow/broker.xml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The template as an older version wrote it: no MCP server role, identity properties or reader MCP topics. */
  private static String older(String template) {
    return template.replaceAll("(?s)<role name=\"mcp-server\">.*?</role>", "")
        .replaceAll("(?s)<identity-properties>.*?</identity-properties>", "")
        .replaceAll("\\s*<publish>\\$mcp-[^<]*</publish>", "");
  }

  @Test
  void anInstallFromAnOlderVersionHearsOnceWhatItLacks() throws Exception {
    final Path config = data.resolve("broker.xml");
    final String edited = older(template()).replace("<publish-rate>50</publish-rate>", "<publish-rate>20</publish-rate>");
    Files.writeString(config, edited);

    BrokerConfigUpgrade.check(config, template(), said::add);
    assertThat(said).singleElement().asString()
        .startsWith(config + " lacks defaults of this version (all of them are in " + data.resolve("broker.xml.dist")
            + "): bridge/access/roles/role[reader]/publish=$mcp-server/+/meshflow/mesh, ")
        .contains("bridge/access/roles/role[mcp-server], ")
        .contains("bridge/access/identity-properties")
        // what the operator changed is theirs: a value is not a lack
        .doesNotContain("publish-rate")
        // inside a missing element nothing is listed again
        .doesNotContain("identity-property[")
        .endsWith("; copy what you want into it and restart");
    assertThat(Files.readString(data.resolve("broker.xml.dist"))).isEqualTo(template());
    assertThat(Files.readString(config)).as("the operator's file is left alone").isEqualTo(edited);

    BrokerConfigUpgrade.check(config, template(), said::add);
    assertThat(said).as("told once per version").hasSize(1);
  }

  @Test
  void aFileStillHoldingThePreviousDefaultsTakesTheNewOnes() throws Exception {
    final Path config = data.resolve("broker.xml");
    Files.writeString(config, older(template()));
    Files.writeString(data.resolve("broker.xml.dist"), older(template()));

    BrokerConfigUpgrade.check(config, template(), said::add);
    assertThat(Files.readString(config)).isEqualTo(template());
    assertThat(said).containsExactly("updated " + config
        + " to this version's defaults (it held the previous defaults, unedited)");
  }

  @Test
  void anEditedFileWithEveryElementIsQuiet() throws Exception {
    final Path config = data.resolve("broker.xml");
    Files.writeString(config, template().replace("<offline-after>30s</offline-after>", "<offline-after>1m</offline-after>"));
    BrokerConfigUpgrade.check(config, template(), said::add);
    assertThat(said).isEmpty();
    assertThat(BrokerConfigUpgrade.missing(template(), "not xml")).isEmpty();
  }
}
