package org.meshflow.jobs.sink;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Creates and upgrades the sink's tables with the versioned migrations in {@code db/meshflow}. */
public final class SinkSchema {
  static final String LOCATION = "classpath:db/meshflow";

  private SinkSchema() {}

  /** Applies every migration not yet applied; returns the schema version now in place. */
  public static String migrate(String url, String user, String password) {
    return migrate(url, user, password, null);
  }

  /** Applies migrations up to {@code target} (a version like "1"), or all when it is null. */
  public static String migrate(String url, String user, String password, String target) {
    final var configuration = Flyway.configure(SinkSchema.class.getClassLoader())
        .dataSource(url, user, password).locations(LOCATION).table("sink_schema_history")
        .baselineOnMigrate(false).failOnMissingLocations(true);
    if (target != null) {
      configuration.target(target);
    }
    final MigrateResult result = configuration.load().migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
  }
}
