package org.meshflow.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory, with the same rules as the real ones (ids shared across subjects for
 * equal schemas, BACKWARD compatibility by default). For unit tests and topology tests.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, List<SchemaVersion>> versions = new TreeMap<>();
  private final Map<String, Compatibility> compatibility = new HashMap<>();
  private final Compatibility defaultCompatibility;

  public InMemorySchemaRegistry() {
    this(Compatibility.BACKWARD);
  }

  public InMemorySchemaRegistry(Compatibility defaultCompatibility) {
    this.defaultCompatibility = defaultCompatibility;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    final Optional<Integer> known = lookup(subject, schema);
    if (known.isPresent()) {
      return known.get();
    }
    final List<SchemaVersion> history = versions.computeIfAbsent(subject, s -> new ArrayList<>());
    final String problem = CompatibilityChecker.violation(
        compatibility.getOrDefault(subject, defaultCompatibility), schema,
        history.stream().map(SchemaVersion::schema).toList());
    if (problem != null) {
      throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\": " + problem);
    }
    final int id = idBySchema.computeIfAbsent(schema, s -> {
      final int next = byId.size() + 1;
      byId.put(next, s);
      return next;
    });
    history.add(new SchemaVersion(subject, history.size() + 1, id, schema));
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    final Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized Optional<Integer> lookup(String subject, Schema schema) {
    return versions.getOrDefault(subject, List.of()).stream()
        .filter(v -> v.schema().equals(schema)).map(SchemaVersion::id).findFirst();
  }

  @Override
  public synchronized Optional<SchemaVersion> latest(String subject) {
    final List<SchemaVersion> history = versions.getOrDefault(subject, List.of());
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(versions.keySet());
  }

  @Override
  public synchronized void setCompatibility(String subject, Compatibility level) {
    compatibility.put(subject, level);
  }
}
