package org.meshflow.launcher.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.meshflow.bridge.security.CredentialsFile;
import org.meshflow.bridge.security.PasswordHasher;
import org.meshflow.bridge.security.User;

/**
 * The credentials the broker runs with: the user's credentials file (if any) plus the launcher's
 * own service users, written to a file the launcher owns so the user's file is never touched.
 */
final class ServiceUsers {
  static final String FILE = "credentials-with-services.xml";

  private ServiceUsers() {}

  /**
   * @param userFile the user's credentials, or null when only anonymous clients are allowed
   * @return the merged file, or null when {@code role} is not defined (an older broker.xml)
   */
  static Path write(Path dir, Path userFile, Set<String> roles, String name, String role, String password)
      throws IOException {
    if (!roles.contains(role)) {
      return null;
    }
    final Map<String, User> users = new LinkedHashMap<>();
    if (userFile != null) {
      users.putAll(CredentialsFile.read(userFile, roles));
    }
    users.put(name, new User(name, PasswordHasher.hash(password.toCharArray()), Set.of(role), Set.of()));
    final var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<!-- written by ./meshflow run at every start from ")
        .append(userFile == null ? "no credentials file" : attribute(userFile.toString()))
        .append(" plus its service users; edit that file instead -->\n<credentials>\n");
    for (User user : users.values()) {
      xml.append("  <user name=\"").append(attribute(user.name())).append("\" roles=\"")
          .append(attribute(String.join(",", user.roles()))).append("\" identities=\"")
          .append(attribute(String.join(",", user.identities()))).append("\" password=\"")
          .append(attribute(user.passwordHash())).append("\"/>\n");
    }
    xml.append("</credentials>\n");
    Files.createDirectories(dir);
    final Path file = dir.resolve(FILE);
    Files.writeString(file, xml);
    return file;
  }

  private static String attribute(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;").replace("--", "&#45;&#45;");
  }
}
