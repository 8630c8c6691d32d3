package org.meshflow.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12.1+ refuses to instantiate generated classes outside trusted packages. Meshflow's own
 * records are trusted once, here, so no user has to set {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 */
public final class TrustedRecords {
  private static boolean installed;

  private TrustedRecords() {}

  public static synchronized void install() {
    if (installed) {
      return;
    }
    final var previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
        type -> type.getName().startsWith("org.meshflow.records.")));
    installed = true;
  }
}
