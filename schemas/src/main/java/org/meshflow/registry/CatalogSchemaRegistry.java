package org.meshflow.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Confluent's rules over a {@link SubjectCatalog} held in memory (an equal schema keeps its id in
 * every subject, new ids are the highest plus one). Subclasses that persist the catalog write each
 * change through {@link #persist} / {@link #persistCompatibility} and reload with {@link #refresh}.
 */
abstract class CatalogSchemaRegistry implements SchemaRegistry {
  protected final SubjectCatalog catalog;

  protected CatalogSchemaRegistry(Compatibility defaultCompatibility) {
    this.catalog = new SubjectCatalog(defaultCompatibility);
  }

  /** Makes a new version durable before it is answered. */
  protected void persist(SchemaVersion version) {}

  /** Makes a compatibility rule durable ({@code subject} null: the default). */
  protected void persistCompatibility(String subject, Compatibility level) {}

  /** Reads changes other instances made. */
  protected void refresh() {}

  @Override
  public synchronized int register(String subject, Schema schema) {
    refresh();
    final var known = catalog.find(subject, schema);
    if (known.isPresent()) {
      return known.get().id();
    }
    final var next = catalog.next(subject, schema);
    persist(next);
    catalog.add(next);
    return next.id();
  }

  @Override
  public synchronized Schema schemaById(int id) {
    return catalog.schema(id).or(() -> {
      refresh();
      return catalog.schema(id);
    }).orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema " + id + " not found"));
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
    persistCompatibility(subject, level);
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
    persistCompatibility(null, level);
    catalog.setCompatibility(null, level);
  }

  @Override
  public synchronized Optional<String> compatibilityProblem(String subject, Schema candidate, int version) {
    return catalog.problem(subject, candidate, version);
  }
}
