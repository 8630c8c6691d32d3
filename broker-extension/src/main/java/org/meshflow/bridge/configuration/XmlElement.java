package org.meshflow.bridge.configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Typed reads from one configuration element. A value that cannot be read is recorded in the shared
 * problem list and replaced by the default, so parsing goes on and every problem is reported at once.
 */
final class XmlElement {
  private final Element element;
  private final String path;
  private final List<String> problems;

  XmlElement(Element element, String path, List<String> problems) {
    this.element = element;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  void problem(String message) {
    problems.add(path + ": " + message);
  }

  /** Reports child elements other than {@code known} (typos would otherwise be silently ignored). */
  void allowOnly(Set<String> known) {
    for (final var child : children()) {
      if (!known.contains(child.element.getTagName())) {
        problems.add(child.path + ": unknown element (expected one of " + String.join(", ", known) + ")");
      }
    }
  }

  List<XmlElement> children() {
    final var result = new ArrayList<XmlElement>();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        result.add(new XmlElement(e, path + "/" + e.getTagName(), problems));
      }
    }
    return result;
  }

  List<XmlElement> children(String name) {
    return children().stream().filter(c -> c.element.getTagName().equals(name)).toList();
  }

  XmlElement child(String name) {
    final var found = children(name);
    if (found.size() > 1) {
      problems.add(path + "/" + name + ": given " + found.size() + " times, expected once");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  String text() {
    return element.getTextContent().trim();
  }

  String attribute(String name) {
    return element.hasAttribute(name) ? element.getAttribute(name).trim() : null;
  }

  String string(String name, String fallback) {
    final var child = child(name);
    return child == null ? fallback : child.text();
  }

  String required(String name) {
    final var child = child(name);
    if (child == null || child.text().isEmpty()) {
      problems.add(path + "/" + name + ": required");
      return "";
    }
    return child.text();
  }

  int integer(String name, int fallback, int min, int max) {
    final var child = child(name);
    if (child == null) {
      return fallback;
    }
    try {
      final int value = Integer.parseInt(child.text());
      if (value < min || value > max) {
        problems.add(child.path + ": " + value + " is out of range " + min + ".." + max);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(child.path + ": '" + child.text() + "' is not a whole number");
      return fallback;
    }
  }

  double decimal(String name, double fallback) {
    final var child = child(name);
    if (child == null) {
      return fallback;
    }
    try {
      final double value = Double.parseDouble(child.text());
      if (!(value > 0) || Double.isInfinite(value)) {
        problems.add(child.path + ": must be a positive number, got '" + child.text() + "'");
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(child.path + ": '" + child.text() + "' is not a number");
      return fallback;
    }
  }

  boolean bool(String name, boolean fallback) {
    final var child = child(name);
    return child == null ? fallback : parseBool(child.text(), child.path, fallback);
  }

  boolean boolAttribute(String name, boolean fallback) {
    final var value = attribute(name);
    return value == null ? fallback : parseBool(value, path + "@" + name, fallback);
  }

  private boolean parseBool(String text, String where, boolean fallback) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    problems.add(where + ": '" + text + "' is not true or false");
    return fallback;
  }

  Pattern regex(String name, String fallback) {
    final var child = child(name);
    final var text = child == null ? fallback : child.text();
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      problems.add(path + "/" + name + ": '" + text + "' is not a regular expression (" + e.getDescription() + ")");
      return Pattern.compile(Pattern.quote(fallback));
    }
  }

  List<TopicFilter> topicFilters(String listName, String itemName) {
    final var list = child(listName);
    if (list == null) {
      return List.of();
    }
    list.allowOnly(Set.of(itemName));
    final var filters = new ArrayList<TopicFilter>();
    for (final var item : list.children(itemName)) {
      final var problem = TopicFilter.problem(item.text());
      if (problem != null) {
        problems.add(item.path + ": " + problem);
      } else {
        filters.add(TopicFilter.of(item.text()));
      }
    }
    return filters;
  }
}
