package org.meshflow.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} and bare {@code --switch} arguments of the load programs. */
final class BenchOptions {
  private BenchOptions() {}

  static Map<String, String> parse(String[] args) {
    final var options = new LinkedHashMap<String, String>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (options are --name value)");
      }
      final String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        options.put(name, args[++i]);
      } else {
        options.put(name, "true");
      }
    }
    return options;
  }

  /** A whole-number option, or {@code dflt} when it is not given. */
  static int integer(Map<String, String> options, String name, int dflt) {
    return Integer.parseInt(options.getOrDefault(name, String.valueOf(dflt)));
  }

  /** The machine and how busy it is, for the first line of a load program's output. */
  static String machine() throws java.io.IOException {
    return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.vm.version")
        + ", load average " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
  }
}
