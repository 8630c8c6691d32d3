package org.meshflow.launcher.embedded;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.meshflow.launcher.Settings;

/**
 * An MQTT-over-TLS listener: the port, and a key store (PKCS#12 or JKS) holding the broker's private key and
 * certificate chain, whose password also opens the key. TLS 1.3 and 1.2 only; clients need no certificate.
 *
 * @param keyStore an absolute path, checked with {@link #problem}
 */
public record TlsListener(int port, Path keyStore, String password) {
  /** The settings {@link #parse} reads. */
  public static final Set<String> NAMES = Set.of("mqtt-tls-port", "mqtt-tls-keystore", "mqtt-tls-keystore-password",
      "mqtt-tls-keystore-password-file");

  /**
   * {@code --mqtt-tls-keystore FILE} with its password ({@code --mqtt-tls-keystore-password-file F}) and
   * {@code --mqtt-tls-port} (default 8883): a checked key store and the port asked for, or null without TLS.
   * Problems go to {@code s}.
   */
  public static TlsListener parse(Settings s, int plainPort) {
    final String keyStore = s.string("mqtt-tls-keystore", null);
    final String password = s.secret("mqtt-tls-keystore-password");
    if (keyStore == null && s.string("mqtt-tls-port", null) == null) {
      return null;
    }
    final int port = s.port("mqtt-tls-port", 8883);
    if (keyStore == null) {
      s.error("--mqtt-tls-port needs --mqtt-tls-keystore FILE (PKCS#12 or JKS) with the broker's key and certificate");
      return null;
    }
    final Path path = Path.of(keyStore).toAbsolutePath();
    if (password == null) {
      s.error("--mqtt-tls-keystore needs --mqtt-tls-keystore-password-file FILE (or --mqtt-tls-keystore-password,"
          + " MESHFLOW_MQTT_TLS_KEYSTORE_PASSWORD)");
      return null;
    }
    problem("--mqtt-tls-keystore", path, password).ifPresent(s::error);
    if (port > 0 && port == plainPort) {
      s.error("--mqtt-tls-port and --mqtt-port are both " + port);
    }
    return new TlsListener(port, path, password);
  }

  /** The same listener on the port actually claimed. */
  public TlsListener on(int claimedPort) {
    return new TlsListener(claimedPort, keyStore, password);
  }

  /**
   * What keeps the key store from serving TLS, in words for the flag {@code flag}: unreadable, not a key store,
   * wrong password, or no private key in it; empty when it can.
   */
  public static Optional<String> problem(String flag, Path keyStore, String password) {
    if (!Files.isReadable(keyStore)) {
      return Optional.of(flag + " " + keyStore + " cannot be read");
    }
    try {
      return servedChain(KeyStore.getInstance(keyStore.toFile(), password.toCharArray()), password).isPresent()
          ? Optional.empty() : Optional.of(flag + " " + keyStore + " holds no private key with its certificate chain");
    } catch (UnrecoverableKeyException e) {
      return Optional.of(flag + " " + keyStore + ": its password does not open the private key");
    } catch (IOException e) {
      // a wrong store password surfaces as an IOException caused by UnrecoverableKeyException
      return Optional.of(flag + " " + keyStore + (e.getCause() instanceof UnrecoverableKeyException
          ? ": wrong password" : " is not a PKCS#12 or JKS key store (" + e.getMessage() + ")"));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of(flag + " " + keyStore + " is not a PKCS#12 or JKS key store (" + e.getMessage() + ")");
    }
  }

  /** The certificate chain of the first private key the password opens: what the listener serves. */
  private static Optional<Certificate[]> servedChain(KeyStore store, String password)
      throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias) && store.getKey(alias, password.toCharArray()) != null
          && store.getCertificateChain(alias) != null) {
        return Optional.of(store.getCertificateChain(alias));
      }
    }
    return Optional.empty();
  }

  /** When the certificate it serves (the first private key's leaf certificate) stops being valid. */
  public Instant certificateExpiry() throws IOException {
    try {
      final var chain = servedChain(KeyStore.getInstance(keyStore.toFile(), password.toCharArray()), password);
      if (chain.isPresent() && chain.get()[0] instanceof X509Certificate leaf) {
        return leaf.getNotAfter().toInstant();
      }
      throw new IOException(keyStore + " holds no X.509 certificate with its private key");
    } catch (GeneralSecurityException e) {
      throw new IOException(keyStore + ": " + e.getMessage(), e);
    }
  }

  /**
   * Serves the certificate's expiry as the gauge {@code meshflow_mqtt_tls_certificate_expiry_seconds} (Unix
   * time, for an alert some days ahead) and says at start when it has expired or expires within 14 days.
   */
  public void watchCertificate(MeterRegistry meters, Clock clock, Consumer<String> say) throws IOException {
    final Instant expiry = certificateExpiry();
    Gauge.builder("meshflow.mqtt.tls.certificate.expiry", expiry, e -> e.getEpochSecond())
        .description("when the MQTT TLS listener's certificate expires (Unix time)").baseUnit("seconds")
        .strongReference(true) // a gauge holds its object weakly; nothing else keeps this Instant
        .register(meters);
    final Instant now = clock.instant();
    if (!expiry.isAfter(now)) {
      say.accept("the MQTT TLS certificate in " + keyStore + " expired on " + expiry
          + ": TLS clients will refuse it; renew it and restart");
    } else if (expiry.isBefore(now.plus(Duration.ofDays(14)))) {
      final long days = Duration.between(now, expiry).toDays();
      say.accept("the MQTT TLS certificate in " + keyStore + " expires on " + expiry + " (in "
          + (days == 1 ? "1 day" : days + " days") + "); renew it and restart before then");
    }
  }

  @Override
  public String toString() {
    return "TlsListener[port=" + port + ", keyStore=" + keyStore + "]";
  }

  /** The listener's element of HiveMQ's {@code config.xml}. */
  String configXml(String bindAddress) {
    return """
            <tls-tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
              <tls>
                <keystore>
                  <path>%s</path>
                  <password>%s</password>
                  <private-key-password>%s</private-key-password>
                </keystore>
                <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                <client-authentication-mode>NONE</client-authentication-mode>
              </tls>
            </tls-tcp-listener>
        """.formatted(port, xml(bindAddress), xml(keyStore.toString()), xml(password), xml(password));
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
