package org.meshflow.launcher.embedded;

import java.net.URI;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import org.meshflow.launcher.Settings;

/**
 * An MQTT broker a command connects to: {@code --mqtt tcp://HOST:PORT}, or {@code ssl://HOST:PORT} over TLS
 * trusting the PEM certificates of {@code --mqtt-ca} (else the JVM's trust store).
 *
 * @param trust null over plain TCP, and over TLS with the JVM's trust store
 */
public record BrokerAddress(String host, int port, boolean overTls, TrustManagerFactory trust) {

  /** Reads {@code --mqtt} and {@code --mqtt-ca}; null when {@code --mqtt} is not given or is bad (an error then). */
  public static BrokerAddress parse(Settings s) {
    final String mqtt = s.string("mqtt", null);
    final boolean ca = s.string("mqtt-ca", null) != null;
    if (mqtt == null) {
      if (ca) {
        s.error("--mqtt-ca is for a broker reached over TLS: --mqtt ssl://HOST:PORT");
      }
      return null;
    }
    final URI uri;
    try {
      uri = URI.create(mqtt);
      if (!Set.of("tcp", "ssl").contains(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      s.error("--mqtt '" + mqtt + "' is not tcp://HOST:PORT or ssl://HOST:PORT");
      return null;
    }
    final boolean overTls = uri.getScheme().equals("ssl");
    if (ca && !overTls) {
      s.error("--mqtt-ca is for a broker reached over TLS: --mqtt ssl://HOST:PORT");
    }
    return new BrokerAddress(uri.getHost(), uri.getPort(), overTls,
        overTls ? PemTrust.fromSetting(s, "mqtt-ca") : null);
  }
}
