package org.meshflow.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Decides whether a new schema may follow the versions already registered, by Confluent's rules. */
public final class CompatibilityChecker {
  private CompatibilityChecker() {}

  /**
   * Returns null when {@code candidate} may be registered after {@code existing} (oldest first),
   * otherwise a sentence saying what breaks.
   */
  public static String violation(Compatibility level, Schema candidate, List<Schema> existing) {
    if (level == Compatibility.NONE || existing.isEmpty()) {
      return null;
    }
    final boolean transitive = level.name().endsWith("_TRANSITIVE");
    final List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
    final boolean backward = level != Compatibility.FORWARD && level != Compatibility.FORWARD_TRANSITIVE;
    final boolean forward = level != Compatibility.BACKWARD && level != Compatibility.BACKWARD_TRANSITIVE;
    for (final Schema old : against) {
      if (backward) {
        final String problem = readable(candidate, old);
        if (problem != null) {
          return "new schema cannot read data written with an existing version (" + level + "): " + problem;
        }
      }
      if (forward) {
        final String problem = readable(old, candidate);
        if (problem != null) {
          return "an existing version cannot read data written with the new schema (" + level + "): " + problem;
        }
      }
    }
    return null;
  }

  private static String readable(Schema reader, Schema writer) {
    final var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    final var incompatibilities = result.getIncompatibilities();
    if (incompatibilities.isEmpty()) {
      return "incompatible";
    }
    final var first = incompatibilities.get(0);
    return first.getType() + " at " + first.getLocation() + ": " + first.getMessage();
  }
}
