package org.meshflow.launcher;

import org.meshflow.config.Durations;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Raw settings of a command, from (lowest to highest precedence) a {@code --config} file of
 * {@code name = value} lines, environment variables {@code MESHFLOW_NAME} and the command line
 * {@code --name value} / {@code --name=value} / {@code --switch}. Names are the flag names without dashes; a
 * known name ending in '.' (like {@code kafka.}) stands for every name under it, read with {@link #prefixed}.
 * Typed commands read them through {@link #string}, {@link #flag} and friends and report every problem at once.
 */
public final class Settings {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();

  private Settings() {}

  /**
   * @param switches names that take no value
   * @param known every accepted name (switches included); others are errors
   */
  public static Settings parse(String[] args, Set<String> switches, Set<String> known, Map<String, String> env) {
    final var settings = new Settings();
    final var cli = new LinkedHashMap<String, List<String>>();
    String configFile = null;
    for (int i = 0; i < args.length; i++) {
      final String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        settings.errors.add("unexpected argument '" + arg + "'");
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      final int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!isKnown(known, name) && !name.equals("config")) {
        settings.errors.add("unknown option --" + name);
        continue;
      }
      if (switches.contains(name)) {
        cli.computeIfAbsent(name, k -> new ArrayList<>()).add(value == null ? "true" : value);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          settings.errors.add("--" + name + " needs a value");
          continue;
        }
        value = args[++i];
      }
      if (name.equals("config")) {
        configFile = value;
      } else {
        cli.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }
    if (configFile != null) {
      settings.readFile(Path.of(configFile), known);
    }
    for (String name : known) {
      final String fromEnv = env.get("MESHFLOW_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (fromEnv != null) {
        settings.values.put(name, new ArrayList<>(List.of(fromEnv)));
      }
    }
    settings.values.putAll(cli);
    return settings;
  }

  private void readFile(Path file, Set<String> known) {
    final var props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      errors.add("cannot read --config " + file + ": " + e.getMessage());
      return;
    }
    for (String name : props.stringPropertyNames()) {
      if (!isKnown(known, name)) {
        errors.add("unknown setting '" + name + "' in " + file);
      } else {
        values.put(name, new ArrayList<>(List.of(props.getProperty(name).trim())));
      }
    }
  }

  /** A known name ending in '.' (like {@code kafka.}) accepts every name that starts with it. */
  private static boolean isKnown(Set<String> known, String name) {
    if (name.endsWith(".")) {
      return false;
    }
    return known.contains(name) || known.stream().anyMatch(k -> k.endsWith(".") && name.startsWith(k));
  }

  /** Every setting named {@code prefix...}, by its name without the prefix ({@code kafka.sasl.mechanism}: {@code sasl.mechanism}). */
  public Map<String, String> prefixed(String prefix) {
    final var found = new LinkedHashMap<String, String>();
    values.forEach((name, v) -> {
      if (name.startsWith(prefix) && !v.isEmpty()) {
        found.put(name.substring(prefix.length()), v.get(v.size() - 1));
      }
    });
    return found;
  }

  public String string(String name, String dflt) {
    final List<String> v = values.get(name);
    return v == null || v.isEmpty() ? dflt : v.get(v.size() - 1);
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public boolean flag(String name) {
    final String v = string(name, "false");
    if (!v.equals("true") && !v.equals("false")) {
      errors.add("--" + name + " is true or false, not '" + v + "'");
      return false;
    }
    return Boolean.parseBoolean(v);
  }

  public int port(String name, int dflt) {
    final String v = string(name, String.valueOf(dflt));
    try {
      final int port = Integer.parseInt(v);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      errors.add("--" + name + " must be a port number 0-65535 (0 picks a free one), not '" + v + "'");
      return dflt;
    }
  }

  /** A whole number from {@code min} to {@code max}; {@code dflt} (and an error) otherwise. */
  public int count(String name, int dflt, int min, int max) {
    final String v = string(name, String.valueOf(dflt));
    try {
      final int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add("--" + name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    return dflt;
  }

  public java.time.Duration duration(String name, String dflt) {
    final String v = string(name, dflt);
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      errors.add("--" + name + ": " + e.getMessage());
      return Durations.parse(dflt);
    }
  }

  /**
   * A secret given as {@code --NAME} or, kept out of the process list and the environment, as the first line
   * of the file {@code --NAME-file}; null when neither is given.
   */
  public String secret(String name) {
    final String value = string(name, null);
    final String file = string(name + "-file", null);
    if (file == null) {
      return value;
    }
    if (value != null) {
      errors.add("--" + name + " and --" + name + "-file exclude each other");
      return value;
    }
    try {
      final String content = Files.readString(Path.of(file)).strip();
      if (content.isEmpty()) {
        errors.add("--" + name + "-file " + file + " is empty");
      }
      return content.lines().findFirst().orElse("");
    } catch (IOException e) {
      errors.add("cannot read --" + name + "-file " + file + ": " + e.getMessage());
      return null;
    }
  }

  /** Records a problem found while interpreting the settings. */
  public void error(String message) {
    errors.add(message);
  }

  /** Throws a {@link UsageException} listing every problem, if there were any. */
  public void check() {
    if (!errors.isEmpty()) {
      throw new UsageException(String.join("; ", errors));
    }
  }
}
