package org.meshflow.launcher.embedded;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshflow.launcher.Settings;

/**
 * Where the MQTT broker listens and how many may connect.
 *
 * @param port the plain listener's port (0 until claimed: any free one)
 * @param tls the TLS listener beside the plain one, or null
 * @param maxConnections concurrent MQTT connections over both listeners; -1 for no limit
 */
public record MqttListeners(String bindAddress, int port, TlsListener tls, int maxConnections) {
  /** Far above a mesh's gateways and readers, far below what exhausts a small machine's file descriptors. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /** The settings {@link #parse} reads. */
  public static final Set<String> NAMES = Stream.concat(TlsListener.NAMES.stream(),
      Stream.of("mqtt-port", "mqtt-max-connections")).collect(Collectors.toUnmodifiableSet());

  /** One plain listener, the default connection limit. */
  public static MqttListeners plain(String bindAddress, int port) {
    return new MqttListeners(bindAddress, port, null, DEFAULT_MAX_CONNECTIONS);
  }

  /** {@code --mqtt-port} (default 1883), the {@code --mqtt-tls-*} settings and {@code --mqtt-max-connections}. */
  public static MqttListeners parse(Settings s, String bindAddress) {
    final int port = s.port("mqtt-port", 1883);
    return new MqttListeners(bindAddress, port, TlsListener.parse(s, port),
        s.count("mqtt-max-connections", DEFAULT_MAX_CONNECTIONS, -1, 1_000_000));
  }

  /** Where clients reach it, for a log line: {@code 127.0.0.1:1883 and MQTT over TLS on 127.0.0.1:8883}. */
  public String describe() {
    return bindAddress + ":" + port + (tls == null ? "" : " and MQTT over TLS on " + bindAddress + ":" + tls.port());
  }

  /** The ports asked for made sure of ({@link FreePorts#claim}): a port in use is one line naming its flag. */
  public MqttListeners claimed() {
    return new MqttListeners(bindAddress, FreePorts.claim(bindAddress, port, "--mqtt-port"),
        tls == null ? null : tls.on(FreePorts.claim(bindAddress, tls.port(), "--mqtt-tls-port")), maxConnections);
  }
}
