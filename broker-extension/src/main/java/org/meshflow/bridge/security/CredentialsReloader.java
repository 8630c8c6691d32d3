package org.meshflow.bridge.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.meshflow.bridge.configuration.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the credentials file again when it changed (checked on a timer). New connections see the new
 * users; a file with problems is reported and the users read before stay in force.
 */
public final class CredentialsReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialsReloader.class);

  private final Path file;
  private final Set<String> knownRoles;
  private final Principals principals;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    final var t = new Thread(r, "meshflow-bridge-credentials");
    t.setDaemon(true);
    return t;
  });
  private Object seen;

  private CredentialsReloader(Path file, Set<String> knownRoles, Principals principals) {
    this.file = file;
    this.knownRoles = knownRoles;
    this.principals = principals;
    this.seen = version();
  }

  public static CredentialsReloader start(Path file, Set<String> knownRoles, Principals principals, Duration every) {
    final var reloader = new CredentialsReloader(file, knownRoles, principals);
    reloader.timer.scheduleWithFixedDelay(reloader::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return reloader;
  }

  private void check() {
    final var version = version();
    if (Objects.equals(version, seen)) {
      return;
    }
    seen = version;
    try {
      final var users = CredentialsFile.read(file, knownRoles);
      principals.replaceUsers(users);
      log.info("credentials reloaded from {}: {} users", file, users.size());
    } catch (ConfigException e) {
      log.error("credentials not reloaded, the previous users stay in force: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("credentials not reloaded, the previous users stay in force: {}", e.toString());
    }
  }

  /** Modification time and size: a change of either means the file was written. */
  private Object version() {
    try {
      final FileTime modified = Files.getLastModifiedTime(file);
      return modified.toMillis() + "/" + Files.size(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
