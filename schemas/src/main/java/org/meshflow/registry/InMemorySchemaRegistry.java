package org.meshflow.registry;

/**
 * A registry held in memory, with the same rules as the real ones (ids shared across subjects for
 * equal schemas, BACKWARD compatibility by default). For unit tests and topology tests.
 */
public final class InMemorySchemaRegistry extends CatalogSchemaRegistry {

  public InMemorySchemaRegistry() {
    this(Compatibility.BACKWARD);
  }

  public InMemorySchemaRegistry(Compatibility defaultCompatibility) {
    super(defaultCompatibility);
  }
}
