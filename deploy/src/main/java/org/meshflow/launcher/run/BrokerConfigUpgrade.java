package org.meshflow.launcher.run;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * {@code DATA/broker.xml} is written once and then belongs to the operator, so a new Meshflow's defaults
 * (a new role, a new rule) do not reach it by themselves. On the first start of a version whose defaults
 * differ from the last ones written, this writes them next to it as {@code broker.xml.dist} and says in one
 * line which of their elements the operator's file lacks, so the upgrade is a conscious merge, not a surprise.
 * A file that still holds the previous defaults, unedited, is simply replaced by the new ones.
 */
final class BrokerConfigUpgrade {
  static final String DIST = "broker.xml.dist";
  private static final int LISTED = 8;

  private BrokerConfigUpgrade() {}

  /** After the first start, with {@code template} the defaults of this version. */
  static void check(Path configFile, String template, Consumer<String> say) throws IOException {
    final Path dist = configFile.resolveSibling(DIST);
    final String offered = Files.exists(dist) ? Files.readString(dist) : null;
    if (template.equals(offered)) {
      return; // this version's defaults were offered already
    }
    Files.writeString(dist, template);
    final String current = Files.readString(configFile);
    if (current.equals(offered)) {
      Files.writeString(configFile, template);
      say.accept("updated " + configFile + " to this version's defaults (it held the previous defaults, unedited)");
      return;
    }
    final List<String> missing = missing(template, current);
    if (missing.isEmpty()) {
      return;
    }
    say.accept(configFile + " lacks defaults of this version (all of them are in " + dist + "): "
        + String.join(", ", missing.subList(0, Math.min(LISTED, missing.size())))
        + (missing.size() > LISTED ? " and " + (missing.size() - LISTED) + " more" : "")
        + "; copy what you want into it and restart");
  }

  /**
   * The elements of {@code template} that {@code current} does not have, outermost first (a missing
   * element's children are not listed again); empty when either is not XML (the parser reports that).
   */
  static List<String> missing(String template, String current) {
    final Element want;
    final Element have;
    try {
      want = parse(template);
      have = parse(current);
    } catch (Exception e) {
      return List.of();
    }
    final var lists = new HashSet<String>();
    findLists(want, want.getTagName(), lists);
    findLists(have, have.getTagName(), lists);
    final Set<String> present = new LinkedHashSet<>();
    collect(have, have.getTagName(), lists, present);
    final Set<String> wanted = new LinkedHashSet<>();
    collect(want, want.getTagName(), lists, wanted);
    final var missing = new ArrayList<String>();
    for (String path : wanted) {
      if (!present.contains(path) && missing.stream().noneMatch(m -> path.startsWith(m + "/"))) {
        missing.add(path);
      }
    }
    return missing;
  }

  private static Element parse(String xml) throws Exception {
    final var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
  }

  /** Leaves whose name repeats under one parent, in either file, are list entries ({@code .../role[x]/publish}). */
  private static void findLists(Element element, String path, Set<String> lists) {
    final Map<String, Integer> leaves = new HashMap<>();
    for (Element child : children(element)) {
      if (isLeaf(child)) {
        leaves.merge(child.getTagName(), 1, Integer::sum);
      } else {
        findLists(child, path + "/" + step(child, Set.of(), path), lists);
      }
    }
    leaves.forEach((tag, count) -> {
      if (count > 1) {
        lists.add(path + "/" + tag);
      }
    });
  }

  /**
   * Every element as a path of names, in document order: an element with a {@code name} or {@code id}
   * attribute is named by it ({@code role[reader]}), and a list entry by its text ({@code publish=msh/#}).
   */
  private static void collect(Element element, String path, Set<String> lists, Set<String> paths) {
    paths.add(path);
    for (Element child : children(element)) {
      collect(child, path + "/" + step(child, lists, path), lists, paths);
    }
  }

  private static List<Element> children(Element element) {
    final List<Element> children = new ArrayList<>();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        children.add(child);
      }
    }
    return children;
  }

  private static boolean isLeaf(Element e) {
    return e.getElementsByTagName("*").getLength() == 0;
  }

  private static String step(Element e, Set<String> lists, String parentPath) {
    for (String key : List.of("name", "id")) {
      if (e.hasAttribute(key)) {
        return e.getTagName() + "[" + e.getAttribute(key) + "]";
      }
    }
    return isLeaf(e) && lists.contains(parentPath + "/" + e.getTagName())
        ? e.getTagName() + "=" + e.getTextContent().strip() : e.getTagName();
  }

}
