package org.meshflow.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The state of a registry (ids, subjects and their versions, compatibility rules) with Confluent's
 * rules: an equal schema keeps its id across subjects, new ids are the highest so far plus one,
 * versions count up per subject. Not thread-safe: its owners synchronise.
 */
final class SubjectCatalog {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<String, Compatibility> rules = new HashMap<>();
  private Compatibility defaultRule;
  private int maxId;

  SubjectCatalog(Compatibility defaultRule) {
    this.defaultRule = defaultRule;
  }

  Optional<SchemaVersion> find(String subject, Schema schema) {
    final var history = subjects.get(subject);
    if (history == null) {
      return Optional.empty();
    }
    return history.values().stream().filter(v -> v.schema().equals(schema)).findFirst();
  }

  /** The version {@code schema} would become under {@code subject}; 409 when the subject's rule refuses it. */
  SchemaVersion next(String subject, Schema schema) {
    final var history = subjects.getOrDefault(subject, new TreeMap<>());
    final String problem = CompatibilityChecker.violation(compatibility(subject), schema,
        history.values().stream().map(SchemaVersion::schema).toList());
    if (problem != null) {
      throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\": " + problem);
    }
    final int id = idBySchema.getOrDefault(schema, maxId + 1);
    final int version = history.isEmpty() ? 1 : history.lastKey() + 1;
    return new SchemaVersion(subject, version, id, schema);
  }

  void add(SchemaVersion version) {
    byId.putIfAbsent(version.id(), version.schema());
    idBySchema.putIfAbsent(version.schema(), version.id());
    maxId = Math.max(maxId, version.id());
    subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
  }

  /** Forgets one version of a subject; its id stays readable, as in Confluent's soft delete. */
  void remove(String subject, int version) {
    final var history = subjects.get(subject);
    if (history != null) {
      history.remove(version);
      if (history.isEmpty()) {
        subjects.remove(subject);
      }
    }
  }

  Optional<Schema> schema(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  List<Integer> versions(String subject) {
    return List.copyOf(history(subject).keySet());
  }

  Optional<SchemaVersion> latest(String subject) {
    final var history = subjects.get(subject);
    return history == null ? Optional.empty() : Optional.of(history.lastEntry().getValue());
  }

  SchemaVersion version(String subject, int version) {
    final var history = history(subject);
    final var found = version == SchemaRegistry.LATEST ? history.lastEntry().getValue() : history.get(version);
    if (found == null) {
      throw new SchemaRegistryException(404, 40402, "Version " + version + " not found for subject \"" + subject + "\"");
    }
    return found;
  }

  Optional<String> problem(String subject, Schema candidate, int version) {
    final var against = version(subject, version).schema();
    return Optional.ofNullable(CompatibilityChecker.violation(compatibility(subject), candidate, List.of(against)));
  }

  Compatibility compatibility(String subject) {
    return rules.getOrDefault(subject, defaultRule);
  }

  Compatibility defaultCompatibility() {
    return defaultRule;
  }

  /** Sets the rule of {@code subject}, or the default when {@code subject} is null. */
  void setCompatibility(String subject, Compatibility level) {
    if (subject == null) {
      defaultRule = level;
    } else {
      rules.put(subject, level);
    }
  }

  private TreeMap<Integer, SchemaVersion> history(String subject) {
    final var history = subjects.get(subject);
    if (history == null) {
      throw new SchemaRegistryException(404, 40401, "Subject \"" + subject + "\" not found");
    }
    return history;
  }
}
