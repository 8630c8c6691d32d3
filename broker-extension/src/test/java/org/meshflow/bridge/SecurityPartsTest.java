package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.meshflow.bridge.configuration.ConfigException;
import org.meshflow.bridge.configuration.Limits;
import org.meshflow.bridge.limits.PublishRateLimiter;
import org.meshflow.bridge.security.CredentialsFile;
import org.meshflow.bridge.security.PasswordHasher;
import org.meshflow.bridge.security.ProtobufField;

class SecurityPartsTest {
  @Test
  void passwordsAreSaltedAndVerified() {
    final var a = PasswordHasher.hash("pw".toCharArray(), PasswordHasher.MIN_ITERATIONS);
    final var b = PasswordHasher.hash("pw".toCharArray(), PasswordHasher.MIN_ITERATIONS);
    assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256:100000:").doesNotContain("pw:");
    assertThat(PasswordHasher.verify("pw".toCharArray(), a)).isTrue();
    assertThat(PasswordHasher.verify("pW".toCharArray(), a)).isFalse();
    assertThat(PasswordHasher.verify("pw".toCharArray(), "pw")).isFalse();
  }

  @Test
  void credentialsFileProblemsAreAllReported() {
    final var weak = PasswordHasher.hash("x".toCharArray(), 1000);
    assertThatThrownBy(() -> CredentialsFile.parse("""
        <credentials>
          <user name="a" roles="gateway" password="plain"/>
          <user name="b" roles="nobody" password="%s"/>
        </credentials>""".formatted(weak), Set.of("gateway"), "creds.xml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "user[a]: password not a pbkdf2-sha256:ITERATIONS:SALT:HASH entry (make one with PasswordHasher)",
            "user[b]: password fewer than 100000 iterations",
            "user[b]: role 'nobody' is not defined in access/roles"));
  }

  @Test
  void aTopLevelStringFieldIsFoundWithoutASchema() {
    final var message = ByteBuffer.wrap(TestSetup.envelope("!12345678"));
    assertThat(ProtobufField.string(message, 3)).isEqualTo("!12345678");
    assertThat(ProtobufField.string(message, 4)).isNull();
    assertThatThrownBy(() -> ProtobufField.string(ByteBuffer.wrap(new byte[] {0x1a, 0x7f, 1}), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtobufField.string(ByteBuffer.wrap("online".getBytes()), 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFloodingClientIsSlowedThenDisconnected() {
    final var now = new AtomicLong();
    final var limiter = new PublishRateLimiter(new Limits(2, 3, 10, 4), now::get);
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.ALLOW);
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.ALLOW);
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.ALLOW);
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.REJECT);
    assertThat(limiter.admit("other")).isEqualTo(PublishRateLimiter.Verdict.ALLOW);
    now.addAndGet(500_000_000L);
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.ALLOW);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.REJECT);
    }
    assertThat(limiter.admit("c")).isEqualTo(PublishRateLimiter.Verdict.DISCONNECT);
  }
}
