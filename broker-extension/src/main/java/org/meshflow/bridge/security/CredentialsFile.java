package org.meshflow.bridge.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.meshflow.bridge.configuration.ConfigException;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * Reads the credentials file:
 * {@code <credentials><user name="gw1" password="pbkdf2-sha256:…" roles="gateway" identities="!1234abcd"/></credentials>}.
 * Passwords are stored only as salted hashes; every problem in the file is reported at once.
 */
public final class CredentialsFile {
  private CredentialsFile() {}

  public static Map<String, User> read(Path file, Set<String> knownRoles) {
    final String xml;
    try {
      xml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    return parse(xml, knownRoles, file.toString());
  }

  public static Map<String, User> parse(String xml, Set<String> knownRoles, String source) {
    final Element root;
    try {
      final var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      final var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (Exception e) {
      throw new ConfigException(source, List.of("not well-formed XML: " + e.getMessage()));
    }
    final var problems = new ArrayList<String>();
    final var users = new HashMap<String, User>();
    final var entries = root.getElementsByTagName("user");
    for (int i = 0; i < entries.getLength(); i++) {
      final var e = (Element) entries.item(i);
      final var name = e.getAttribute("name").trim();
      final var where = "user[" + (name.isEmpty() ? String.valueOf(i + 1) : name) + "]";
      if (name.isEmpty()) {
        problems.add(where + ": attribute name is required");
        continue;
      }
      final var hash = e.getAttribute("password").trim();
      final var hashProblem = PasswordHasher.problem(hash);
      if (hashProblem != null) {
        problems.add(where + ": password " + hashProblem);
      }
      final var roles = split(e.getAttribute("roles"));
      if (roles.isEmpty()) {
        problems.add(where + ": needs at least one role");
      }
      roles.stream().filter(r -> !knownRoles.contains(r))
          .forEach(r -> problems.add(where + ": role '" + r + "' is not defined in access/roles"));
      if (users.put(name, new User(name, hash, roles, split(e.getAttribute("identities")))) != null) {
        problems.add(where + ": user is defined twice");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return Map.copyOf(users);
  }

  private static Set<String> split(String text) {
    final var result = new LinkedHashSet<String>();
    Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(result::add);
    return result;
  }
}
