package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.testing.MeshVectors.Vector;

/** Checks a vector's {@code expect} facts against what the codec and {@link ReceptionJson} make of it. */
final class ExpectedFacts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double FLOAT_TOLERANCE = 1e-4;

  private ExpectedFacts() {}

  static void check(Vector vector) {
    final var codec = new MeshtasticCodec(ChannelKeys.of(vector.keys()));
    final DecodeOutcome outcome = codec.decode(vector.topic(), vector.payload(), Instant.EPOCH);
    if (vector.bad()) {
      assertThat(outcome).as(vector.name()).isInstanceOf(Rejected.class);
      assertThat(((Rejected) outcome).reason()).as(vector.name()).isNotBlank();
      return;
    }
    if (!(outcome instanceof Decoded decoded)) {
      fail(vector.name() + " was not decoded: " + outcome);
      return;
    }
    final JsonNode actual = parse(ReceptionJson.render(decoded.reception()));
    final var mismatches = new ArrayList<String>();
    compare("", vector.expect(), actual, mismatches);
    assertThat(mismatches).as(vector.name() + " decoded to " + actual).isEmpty();
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every key of {@code expected}, recursively; an expected null also accepts an absent field. */
  static void compare(String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
    if (expected.isNull()) {
      if (actual != null && !actual.isNull() && !actual.isMissingNode()) {
        mismatches.add(path + ": expected null, got " + actual);
      }
    } else if (actual == null || actual.isMissingNode() || actual.isNull()) {
      mismatches.add(path + ": expected " + expected + ", missing");
    } else if (expected.isObject()) {
      for (Map.Entry<String, JsonNode> entry : expected.properties()) {
        compare(path + "." + entry.getKey(), entry.getValue(), actual.get(entry.getKey()), mismatches);
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        mismatches.add(path + ": expected " + expected + ", got " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), mismatches);
      }
    } else if (expected.isNumber()) {
      final boolean same = actual.isNumber() && (expected.isFloatingPointNumber() || actual.isFloatingPointNumber()
          ? Math.abs(expected.asDouble() - actual.asDouble()) <= FLOAT_TOLERANCE
          : expected.asLong() == actual.asLong());
      if (!same) {
        mismatches.add(path + ": expected " + expected + ", got " + actual);
      }
    } else if (!expected.equals(actual)) {
      mismatches.add(path + ": expected " + expected + ", got " + actual);
    }
  }
}
