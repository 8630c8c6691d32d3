package org.meshflow.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshflow.bridge.security.PasswordHasher;

/** The bridge configuration and users the integration tests share. */
final class TestSetup {
  static final String PASSWORD = "secret";

  private TestSetup() {}

  static String config(String bootstrap, String ackTimeout, boolean retainAlerts) {
    return """
        <bridge>
          <kafka>
            <bootstrap-servers>%s</bootstrap-servers>
            <ack-timeout>%s</ack-timeout>
          </kafka>
          <mqtt-to-kafka>
            <mapping id="uplink">
              <mqtt-topic-filters><mqtt-topic-filter>msh/#</mqtt-topic-filter></mqtt-topic-filters>
              <kafka-topic>mesh.uplink.v1</kafka-topic>
              <kafka-key>client-id</kafka-key>
              <max-payload-bytes>256</max-payload-bytes>
            </mapping>
          </mqtt-to-kafka>
          <session-events>
            <client-id-pattern>.*</client-id-pattern>
            <kafka-topic>mesh.sessions.v1</kafka-topic>
          </session-events>
          <kafka-to-mqtt>
            <mapping id="alerts">
              <kafka-topic>mesh.alerts.v1</kafka-topic>
              <mqtt-topic>meshflow/alerts/{key}</mqtt-topic>
              <payload>json</payload>
              <qos>1</qos>
              <retain>%s</retain>
              <consumer-group>bridge-alerts</consumer-group>
            </mapping>
            <mapping id="retained">
              <kafka-topic>mesh.mqtt-retained.v1</kafka-topic>
              <mqtt-topic>{key}</mqtt-topic>
              <payload>raw</payload>
              <qos>1</qos>
              <retain>true</retain>
              <replay-trigger>
                <mqtt-topic>homeassistant/status</mqtt-topic>
                <mqtt-payload>online</mqtt-payload>
                <mqtt-topic-filters><mqtt-topic-filter>homeassistant/#</mqtt-topic-filter></mqtt-topic-filters>
              </replay-trigger>
            </mapping>
          </kafka-to-mqtt>
          <status-topic>
            <mqtt-topic>meshflow/status</mqtt-topic>
            <offline-after>3s</offline-after>
          </status-topic>
          <limits>
            <publish-rate>5</publish-rate>
            <publish-burst>20</publish-burst>
            <max-in-flight>1000</max-in-flight>
            <disconnect-after-rejections>40</disconnect-after-rejections>
          </limits>
          <access>
            <allow-anonymous>false</allow-anonymous>
            <credentials-file>credentials.xml</credentials-file>
            <credentials-reload>1s</credentials-reload>
            <roles>
              <role name="gateway"><publish>msh/#</publish><subscribe>msh/#</subscribe></role>
              <role name="reader">
                <subscribe>meshflow/#</subscribe><subscribe>homeassistant/#</subscribe>
                <publish>homeassistant/status</publish>
              </role>
              <role name="admin" privileged="true"><publish>#</publish><subscribe>#</subscribe></role>
            </roles>
            <protected-roots><root>meshflow/</root><root>homeassistant/</root></protected-roots>
            <identity-rule>
              <client-id-pattern>![0-9a-f]{8}</client-id-pattern>
              <topic-level-pattern>!.*</topic-level-pattern>
              <payload-field>3</payload-field>
              <payload-topics><mqtt-topic-filter>msh/+/2/e/#</mqtt-topic-filter></payload-topics>
            </identity-rule>
          </access>
        </bridge>
        """.formatted(bootstrap, ackTimeout, retainAlerts);
  }

  /** Users gw (gateway), relay (gateway, may publish as !cccccccc), reader and admin, all with {@link #PASSWORD}. */
  static void writeCredentials(Path dir) {
    writeCredentials(dir, "");
  }

  /** The users above plus {@code moreUsers} (XML user elements, {@code %1$s} standing for the password hash). */
  static void writeCredentials(Path dir, String moreUsers) {
    final var hash = PasswordHasher.hash(PASSWORD.toCharArray(), PasswordHasher.MIN_ITERATIONS);
    try {
      Files.writeString(dir.resolve("credentials.xml"), """
          <credentials>
            <user name="gw" roles="gateway" password="%1$s"/>
            <user name="relay" roles="gateway" identities="!cccccccc" password="%1$s"/>
            <user name="reader" roles="reader" password="%1$s"/>
            <user name="admin" roles="admin" password="%1$s"/>
          """.formatted(hash) + moreUsers.formatted(hash) + "</credentials>\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A protobuf message with a bytes field 1 and the string {@code identity} in field 3. */
  static byte[] envelope(String identity) {
    final var out = new ByteArrayOutputStream();
    field(out, 1, new byte[] {8, 42});
    field(out, 2, "LongFast".getBytes(StandardCharsets.UTF_8));
    field(out, 3, identity.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] value) {
    out.write(number << 3 | 2);
    out.write(value.length);
    out.writeBytes(value);
  }
}
