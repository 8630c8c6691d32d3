package org.meshflow.bridge.configuration;

/** What becomes the Kafka record key of a forwarded PUBLISH. */
public enum KeySource {
  CLIENT_ID("client-id"), TOPIC("topic"), NONE("none");

  private final String xml;

  KeySource(String xml) {
    this.xml = xml;
  }

  public static KeySource fromXml(String value) {
    for (final var key : values()) {
      if (key.xml.equals(value)) {
        return key;
      }
    }
    return null;
  }
}
