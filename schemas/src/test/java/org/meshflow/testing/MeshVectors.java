package org.meshflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The decoding vectors in shared/fixtures, made by the Meshtastic project's own encoder. */
public final class MeshVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One vector: an uplink and the facts a correct decoder reports ({@code expect.error} marks bad input). */
  public record Vector(String name, String topic, byte[] payload, Map<String, String> keys, JsonNode expect) {
    public boolean bad() {
      return expect.path("error").asBoolean(false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private MeshVectors() {}

  /** The shared/ folder beside the repository (system property meshflow.shared, else found upwards). */
  public static Path sharedDir() {
    final String configured = System.getProperty("meshflow.shared");
    if (configured != null && Files.isDirectory(Path.of(configured, "fixtures"))) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shared/fixtures"))) {
        return dir.resolve("shared");
      }
      if (Files.isDirectory(dir.resolveSibling("shared").resolve("fixtures"))) {
        return dir.resolveSibling("shared");
      }
    }
    throw new IllegalStateException("cannot find the shared/ folder with fixtures (set -Dmeshflow.shared=...)");
  }

  public static List<Vector> fixtures() {
    return read(sharedDir().resolve("fixtures/meshtastic-vectors.jsonl"));
  }

  public static List<Vector> read(Path jsonl) {
    try {
      final var vectors = new ArrayList<Vector>();
      for (String line : Files.readAllLines(jsonl)) {
        if (line.isBlank()) {
          continue;
        }
        final JsonNode node = JSON.readTree(line);
        final var keys = new LinkedHashMap<String, String>();
        node.path("keys").fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText()));
        vectors.add(new Vector(node.path("name").asText(), node.path("topic").asText(null),
            HexFormat.of().parseHex(node.path("payloadHex").asText()), keys, node.path("expect")));
      }
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read vectors " + jsonl, e);
    }
  }
}
