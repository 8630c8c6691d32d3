package org.meshflow.bridge.configuration;

import org.meshflow.config.Durations;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Reads the bridge's XML configuration (see the sample {@code conf/config.xml}) and validates it. */
public final class ConfigParser {
  static final String ROOT = "bridge";

  private ConfigParser() {}

  public static BridgeConfig read(Path file) {
    final String xml;
    try {
      xml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    final var parent = file.toAbsolutePath().getParent();
    return parse(xml, parent, file.toString());
  }

  /** Parses {@code xml}; relative file names in it are resolved against {@code baseDir}. */
  public static BridgeConfig parse(String xml, Path baseDir, String source) {
    final var problems = new ArrayList<String>();
    final Element root;
    try {
      final var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setIgnoringComments(true);
      final var builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (Exception e) {
      throw new ConfigException(source, List.of("not well-formed XML: " + e.getMessage()));
    }
    if (!root.getTagName().equals(ROOT)) {
      throw new ConfigException(source, List.of("root element must be <" + ROOT + ">, found <" + root.getTagName() + ">"));
    }
    final var config = new ConfigParser.Reader(new XmlElement(root, ROOT, problems), baseDir).config();
    ConfigValidator.validate(config, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return config;
  }

  private record Reader(XmlElement root, Path baseDir) {
    BridgeConfig config() {
      root.allowOnly(Set.of("kafka", "mqtt-to-kafka", "session-events", "kafka-to-mqtt", "limits", "access", "metrics",
          "status-topic"));
      return new BridgeConfig(kafka(), uplinks(), sessions(), downlinks(), limits(), access(), metrics(), status());
    }

    private KafkaSettings kafka() {
      final var kafka = root.child("kafka");
      if (kafka == null) {
        root.problem("<kafka> is required");
        return new KafkaSettings("", "", Duration.ofSeconds(10), Map.of());
      }
      kafka.allowOnly(Set.of("bootstrap-servers", "schema-registry-url", "ack-timeout", "client-properties"));
      final var timeout = duration(kafka, "ack-timeout", Duration.ofSeconds(10), false);
      final var properties = new LinkedHashMap<String, String>();
      final var props = kafka.child("client-properties");
      if (props != null) {
        props.allowOnly(Set.of("property"));
        for (final var property : props.children("property")) {
          final var name = property.attribute("name");
          if (name == null || name.isEmpty()) {
            property.problem("attribute name is required");
          } else {
            properties.put(name, property.text());
          }
        }
      }
      return new KafkaSettings(kafka.required("bootstrap-servers"), kafka.string("schema-registry-url", ""),
          timeout, properties);
    }

    private List<UplinkMapping> uplinks() {
      final var section = root.child("mqtt-to-kafka");
      if (section == null) {
        return List.of();
      }
      section.allowOnly(Set.of("mapping"));
      final var mappings = new ArrayList<UplinkMapping>();
      for (final var m : section.children("mapping")) {
        m.allowOnly(Set.of("mqtt-topic-filters", "kafka-topic", "kafka-key", "max-payload-bytes"));
        final var keyText = m.string("kafka-key", "client-id");
        var key = KeySource.fromXml(keyText);
        if (key == null) {
          m.problem("kafka-key '" + keyText + "' must be client-id, topic or none");
          key = KeySource.CLIENT_ID;
        }
        mappings.add(new UplinkMapping(id(m), m.topicFilters("mqtt-topic-filters", "mqtt-topic-filter"),
            m.required("kafka-topic"), key, m.integer("max-payload-bytes", 65_536, 1, 256 * 1024 * 1024)));
      }
      return mappings;
    }

    private SessionEventsSettings sessions() {
      final var s = root.child("session-events");
      if (s == null) {
        return new SessionEventsSettings(false, Pattern.compile(".*"), "mesh.sessions.v1");
      }
      s.allowOnly(Set.of("enabled", "client-id-pattern", "kafka-topic"));
      return new SessionEventsSettings(s.bool("enabled", true), s.regex("client-id-pattern", ".*"),
          s.string("kafka-topic", "mesh.sessions.v1"));
    }

    private List<DownlinkMapping> downlinks() {
      final var section = root.child("kafka-to-mqtt");
      if (section == null) {
        return List.of();
      }
      section.allowOnly(Set.of("mapping"));
      final var mappings = new ArrayList<DownlinkMapping>();
      for (final var m : section.children("mapping")) {
        m.allowOnly(Set.of("kafka-topic", "mqtt-topic", "payload", "qos", "retain", "consumer-group", "replay-trigger"));
        final var id = id(m);
        final var payloadText = m.string("payload", "json");
        var payload = PayloadFormat.JSON;
        if (payloadText.equals("raw")) {
          payload = PayloadFormat.RAW;
        } else if (!payloadText.equals("json")) {
          m.problem("payload '" + payloadText + "' must be json or raw");
        }
        mappings.add(new DownlinkMapping(id, m.required("kafka-topic"), m.required("mqtt-topic"), payload,
            m.integer("qos", 1, 0, 2), m.bool("retain", false), m.string("consumer-group", "meshflow-bridge-" + id),
            replayTrigger(m.child("replay-trigger"))));
      }
      return mappings;
    }

    private static ReplayTrigger replayTrigger(XmlElement t) {
      if (t == null) {
        return null;
      }
      t.allowOnly(Set.of("mqtt-topic", "mqtt-payload", "mqtt-topic-filters", "max-keys"));
      final var topic = t.required("mqtt-topic");
      if (!topic.isEmpty() && (topic.contains("+") || topic.contains("#"))) {
        t.problem("mqtt-topic '" + topic + "' must be a topic, not a filter");
      }
      return new ReplayTrigger(topic, t.required("mqtt-payload"), t.topicFilters("mqtt-topic-filters", "mqtt-topic-filter"),
          t.integer("max-keys", 100_000, 1, 10_000_000));
    }

    private StatusTopic status() {
      final var s = root.child("status-topic");
      if (s == null) {
        return null;
      }
      s.allowOnly(Set.of("mqtt-topic", "online-payload", "offline-payload", "offline-after"));
      final var topic = s.required("mqtt-topic");
      if (!topic.isEmpty() && (topic.contains("+") || topic.contains("#"))) {
        s.problem("mqtt-topic '" + topic + "' must be a topic, not a filter");
      }
      return new StatusTopic(topic, s.string("online-payload", "online"), s.string("offline-payload", "offline"),
          duration(s, "offline-after", Duration.ofSeconds(30), true));
    }

    private static Duration duration(XmlElement parent, String name, Duration fallback, boolean zeroAllowed) {
      final var text = parent.string(name, null);
      if (text == null) {
        return fallback;
      }
      try {
        final var value = Durations.parse(text);
        if (zeroAllowed || !value.isZero()) {
          return value;
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      parent.problem(name + " '" + text + "' is not a duration like 500ms, 10s, 2m");
      return fallback;
    }

    private Limits limits() {
      final var l = root.child("limits");
      if (l == null) {
        return new Limits(50, 200, 10_000, 500);
      }
      l.allowOnly(Set.of("publish-rate", "publish-burst", "max-in-flight", "disconnect-after-rejections"));
      return new Limits(l.decimal("publish-rate", 50), l.integer("publish-burst", 200, 1, Integer.MAX_VALUE),
          l.integer("max-in-flight", 10_000, 1, Integer.MAX_VALUE),
          l.integer("disconnect-after-rejections", 500, 0, Integer.MAX_VALUE));
    }

    private AccessSettings access() {
      final var a = root.child("access");
      if (a == null) {
        root.problem("<access> is required (set <allow-anonymous>true</allow-anonymous> for development)");
        return new AccessSettings(true, Set.of(), null, Duration.ZERO, Map.of(), List.of(), disabledIdentity(),
            List.of());
      }
      a.allowOnly(Set.of("allow-anonymous", "anonymous-roles", "credentials-file", "credentials-reload", "roles",
          "protected-roots", "identity-rule", "identity-properties"));
      final var credentials = a.string("credentials-file", "");
      final var roles = new LinkedHashMap<String, Role>();
      final var rolesElement = a.child("roles");
      if (rolesElement != null) {
        rolesElement.allowOnly(Set.of("role"));
        for (final var r : rolesElement.children("role")) {
          r.allowOnly(Set.of("publish", "subscribe"));
          final var name = r.attribute("name");
          if (name == null || name.isEmpty()) {
            r.problem("attribute name is required");
            continue;
          }
          if (roles.containsKey(name)) {
            r.problem("role '" + name + "' is defined twice");
          }
          roles.put(name, new Role(name, filters(r, "publish"), filters(r, "subscribe"), r.boolAttribute("privileged", false)));
        }
      }
      final var roots = new ArrayList<String>();
      final var rootsElement = a.child("protected-roots");
      if (rootsElement != null) {
        rootsElement.allowOnly(Set.of("root"));
        rootsElement.children("root").forEach(r -> roots.add(r.text()));
      }
      return new AccessSettings(a.bool("allow-anonymous", false), list(a.string("anonymous-roles", "")),
          credentials.isEmpty() ? null : baseDir.resolve(credentials),
          duration(a, "credentials-reload", Duration.ofSeconds(10), true), roles, roots, identity(a.child("identity-rule")),
          identityProperties(a.child("identity-properties")));
    }

    private List<IdentityProperty> identityProperties(XmlElement element) {
      final var result = new ArrayList<IdentityProperty>();
      if (element == null) {
        return result;
      }
      element.allowOnly(Set.of("identity-property"));
      for (final var p : element.children("identity-property")) {
        p.allowOnly(Set.of("mqtt-topic-filter"));
        final var name = p.attribute("name");
        if (name == null || name.isBlank()) {
          p.problem("attribute name (the user property) is required");
          continue;
        }
        final var topics = new ArrayList<TopicFilter>();
        for (final var f : p.children("mqtt-topic-filter")) {
          final var problem = TopicFilter.problem(f.text());
          if (problem != null) {
            f.problem(problem);
          } else {
            topics.add(TopicFilter.of(f.text()));
          }
        }
        if (topics.isEmpty()) {
          p.problem("identity property '" + name + "' needs at least one <mqtt-topic-filter>");
        }
        result.add(new IdentityProperty(name, topics));
      }
      return result;
    }

    private IdentityRule identity(XmlElement rule) {
      if (rule == null) {
        return disabledIdentity();
      }
      rule.allowOnly(Set.of("client-id-pattern", "topic-level-pattern", "payload-field", "payload-topics"));
      final var levelText = rule.string("topic-level-pattern", "");
      return new IdentityRule(rule.boolAttribute("enabled", true), rule.regex("client-id-pattern", "![0-9a-f]{8}"),
          levelText.isEmpty() ? null : rule.regex("topic-level-pattern", levelText), rule.integer("payload-field", 0, 0, 536_870_911),
          rule.topicFilters("payload-topics", "mqtt-topic-filter"));
    }

    private MetricsSettings metrics() {
      final var m = root.child("metrics");
      if (m == null) {
        return new MetricsSettings("127.0.0.1", 0, "/metrics");
      }
      m.allowOnly(Set.of("bind-address", "port", "path"));
      return new MetricsSettings(m.string("bind-address", "127.0.0.1"), m.integer("port", 0, 0, 65_535),
          m.string("path", "/metrics"));
    }

    private static List<TopicFilter> filters(XmlElement role, String name) {
      final var result = new ArrayList<TopicFilter>();
      for (final var f : role.children(name)) {
        final var problem = TopicFilter.problem(f.text());
        if (problem != null) {
          f.problem(problem);
        } else {
          result.add(TopicFilter.of(f.text()));
        }
      }
      return result;
    }

    private static String id(XmlElement mapping) {
      final var id = mapping.attribute("id");
      if (id == null || id.isEmpty()) {
        mapping.problem("attribute id is required");
        return "";
      }
      return id;
    }

    private static Set<String> list(String commaSeparated) {
      final var result = new LinkedHashSet<String>();
      Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(result::add);
      return result;
    }

    private static IdentityRule disabledIdentity() {
      return new IdentityRule(false, Pattern.compile("![0-9a-f]{8}"), null, 0, List.of());
    }
  }
}
