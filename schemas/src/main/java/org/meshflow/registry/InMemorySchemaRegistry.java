package org.meshflow.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A registry held in memory, with the same rules as the real ones (ids shared across subjects for
 * equal schemas, BACKWARD compatibility by default). For unit tests and topology tests.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final SubjectCatalog catalog;

  public InMemorySchemaRegistry() {
    this(Compatibility.BACKWARD);
  }

  public InMemorySchemaRegistry(Compatibility defaultCompatibility) {
    this.catalog = new SubjectCatalog(defaultCompatibility);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    final var known = catalog.find(subject, schema);
    if (known.isPresent()) {
      return known.get().id();
    }
    final var next = catalog.next(subject, schema);
    catalog.add(next);
    return next.id();
  }

  @Override
  public synchronized Schema schemaById(int id) {
    return catalog.schema(id)
        .orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema " + id + " not found"));
  }

  @Override
  public synchronized Optional<Integer> lookup(String subject, Schema schema) {
    return catalog.find(subject, schema).map(SchemaVersion::id);
  }

  @Override
  public synchronized Optional<SchemaVersion> latest(String subject) {
    return catalog.latest(subject);
  }

  @Override
  public synchronized List<String> subjects() {
    return catalog.subjects();
  }

  @Override
  public synchronized void setCompatibility(String subject, Compatibility level) {
    catalog.setCompatibility(subject, level);
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    return catalog.versions(subject);
  }

  @Override
  public synchronized SchemaVersion version(String subject, int version) {
    return catalog.version(subject, version);
  }

  @Override
  public synchronized Compatibility compatibility(String subject) {
    return catalog.compatibility(subject);
  }

  @Override
  public synchronized Compatibility defaultCompatibility() {
    return catalog.defaultCompatibility();
  }

  @Override
  public synchronized void setDefaultCompatibility(Compatibility level) {
    catalog.setCompatibility(null, level);
  }

  @Override
  public synchronized Optional<String> compatibilityProblem(String subject, Schema candidate, int version) {
    return catalog.problem(subject, candidate, version);
  }
}
