package org.meshflow.launcher.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator learns about the TLS listener's certificate: its expiry as a gauge, and a warning in time. */
class TlsListenerTest {
  @Test
  void theCertificatesExpiryIsAGaugeAndAWarningWhenNear(@TempDir Path dir) throws Exception {
    final var keys = SelfSignedKeyStore.create(dir, "expiry-pw"); // valid for 2 days from now
    final var tls = new TlsListener(8883, keys.keyStore(), keys.password());
    final Instant expiry = tls.certificateExpiry();
    assertThat(expiry).isBetween(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3)));

    final var meters = new SimpleMeterRegistry();
    final List<String> said = new ArrayList<>();
    tls.watchCertificate(meters, Clock.systemUTC(), said::add);
    assertThat(meters.get("meshflow.mqtt.tls.certificate.expiry").gauge().value())
        .isEqualTo((double) expiry.getEpochSecond());
    assertThat(said).singleElement().asString().startsWith("the MQTT TLS certificate in " + keys.keyStore()
        + " expires on " + expiry + " (in 1 day)");

    said.clear();
    tls.watchCertificate(new SimpleMeterRegistry(), Clock.offset(Clock.systemUTC(), Duration.ofDays(3)), said::add);
    assertThat(said).containsExactly("the MQTT TLS certificate in " + keys.keyStore() + " expired on " + expiry
        + ": TLS clients will refuse it; renew it and restart");

    said.clear();
    tls.watchCertificate(new SimpleMeterRegistry(), Clock.offset(Clock.systemUTC(), Duration.ofDays(-30)), said::add);
    assertThat(said).as("a month before expiry: nothing to say").isEmpty();
  }
}
