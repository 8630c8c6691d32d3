package org.meshflow.meshtastic;

import java.util.HashMap;
import java.util.Map;

/** Names of a Meshtastic enum; a number without a name prints as the number itself. */
final class NameTable {
  private final Map<Integer, String> names = new HashMap<>();

  /** @param names the enum's names in the order of their numbers, starting at 0 */
  NameTable(String... names) {
    for (int i = 0; i < names.length; i++) {
      this.names.put(i, names[i]);
    }
  }

  NameTable with(int number, String name) {
    names.put(number, name);
    return this;
  }

  String name(int number) {
    final String name = names.get(number);
    return name != null ? name : Integer.toUnsignedString(number);
  }

  boolean isKnown(int number) {
    return names.containsKey(number);
  }
}
