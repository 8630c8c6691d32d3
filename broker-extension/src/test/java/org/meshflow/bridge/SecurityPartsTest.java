package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.meshflow.bridge.configuration.AccessSettings;
import org.meshflow.bridge.configuration.IdentityProperty;
import org.meshflow.bridge.configuration.IdentityRule;
import org.meshflow.bridge.configuration.Role;
import org.meshflow.bridge.configuration.TopicFilter;
import org.meshflow.bridge.security.AccessPolicy;
import org.meshflow.bridge.security.Principal;
import org.meshflow.bridge.security.RejectCause;
import org.meshflow.bridge.security.Rejection;
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
  void topicFiltersMatchAsMqttSays() {
    final var cases = Map.of(
        "msh/#", List.of("msh", "msh/", "msh/EU_868/2/e/LongFast/!0000000a"),
        "msh/+/2/e/#", List.of("msh/EU_868/2/e", "msh/US/2/e/LongFast/!a"),
        "a/+/c", List.of("a/b/c", "a//c"),
        "a//c", List.of("a//c"),
        "+", List.of("a", ""),
        "#", List.of("a", "a/b", "/"));
    final var misses = Map.of(
        "msh/#", List.of("mshx", "other/msh"),
        "msh/+/2/e/#", List.of("msh/EU_868/2/c/LongFast", "msh/EU_868"),
        "a/+/c", List.of("a/b/c/d", "a/b", "a/b/cc", "a/b/"),
        "a//c", List.of("a/b/c"),
        "+", List.of("a/b", "$SYS"),
        "#", List.of("$SYS/x"));
    cases.forEach((filter, topics) -> assertThat(topics).allMatch(TopicFilter.of(filter)::matches));
    misses.forEach((filter, topics) -> assertThat(topics).noneMatch(TopicFilter.of(filter)::matches));
  }

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
  void onlyAnExactPermissionOpensATopicUnderAProtectedRoot() {
    final var exact = new Role("ha", List.of(TopicFilter.of("homeassistant/status")), List.of(), false);
    final var wildcards = new Role("greedy", List.of(TopicFilter.of("#"), TopicFilter.of("homeassistant/+"),
        TopicFilter.of("homeassistant/#")), List.of(), false);
    final var policy = openAccess(List.of("homeassistant/"), List.of());
    final var payload = ByteBuffer.wrap(new byte[0]);
    assertThat(policy.check(new Principal("ha", List.of(exact), Set.of()), "c", "homeassistant/status", payload, false))
        .isNull();
    assertThat(policy.check(new Principal("ha", List.of(exact), Set.of()), "c", "homeassistant/other", payload, false))
        .extracting(Rejection::cause).isEqualTo(RejectCause.PROTECTED_ROOT);
    assertThat(policy.check(new Principal("g", List.of(wildcards), Set.of()), "c", "homeassistant/status", payload,
        false)).extracting(Rejection::cause).isEqualTo(RejectCause.PROTECTED_ROOT);
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

  @Test
  void anIdentityPropertyMustNameThePublishingClient() {
    final var property = new IdentityProperty("MCP-MQTT-CLIENT-ID",
        List.of(TopicFilter.of("$mcp-server/#")));
    final var policy = openAccess(List.of(), List.of(property));
    final var reader = new Principal("assistant", List.of(new Role("reader", List.of(), List.of(), false)), Set.of());
    final var admin = new Principal("admin", List.of(new Role("admin", List.of(), List.of(), true)), Set.of());
    final String control = "$mcp-server/s-1/meshflow/mesh";
    assertThat(policy.checkProperties(reader, "c-a", control, name -> List.of("c-a"))).isNull();
    assertThat(policy.checkProperties(reader, "c-a", control, name -> List.of())).isNull();
    assertThat(policy.checkProperties(reader, "c-a", control, name -> List.of("c-a", "c-b")))
        .satisfies(r -> {
          assertThat(r.cause()).isEqualTo(RejectCause.IDENTITY_PROPERTY);
          assertThat(r.reason()).isEqualTo("user property MCP-MQTT-CLIENT-ID names c-b, not this client");
        });
    // other topics, and privileged roles, are not bound by it
    assertThat(policy.checkProperties(reader, "c-a", "msh/2/e/x", name -> List.of("c-b"))).isNull();
    assertThat(policy.checkProperties(admin, "c-a", control, name -> List.of("c-b"))).isNull();
  }

  @Test
  void aClientIdLevelHoldsOnlyForTheClientsOwnId() {
    final var mcpClient = new Role("reader", List.of(TopicFilter.of("$mcp-rpc/{client-id}/+/meshflow/mesh")),
        List.of(TopicFilter.of("$mcp-rpc/{client-id}/+/meshflow/mesh")), false);
    final var policy = openAccess(List.of(), List.of());
    final var principal = new Principal("assistant", List.of(mcpClient), Set.of());
    final var payload = ByteBuffer.wrap(new byte[0]);
    assertThat(policy.check(principal, "c-a", "$mcp-rpc/c-a/s-1/meshflow/mesh", payload, false)).isNull();
    assertThat(policy.check(principal, "c-a", "$mcp-rpc/c-b/s-1/meshflow/mesh", payload, false))
        .extracting(Rejection::cause).isEqualTo(RejectCause.NOT_PERMITTED);
    // an id that would widen the filter (or make it span levels) gets no such permission at all
    assertThat(policy.check(principal, "c/x", "$mcp-rpc/c/x/s-1/meshflow/mesh", payload, false))
        .extracting(Rejection::cause).isEqualTo(RejectCause.NOT_PERMITTED);
    assertThat(mcpClient.forClient("#").subscribe()).isEmpty();
    assertThat(mcpClient.forClient("c-a").subscribe()).extracting(TopicFilter::filter)
        .containsExactly("$mcp-rpc/c-a/+/meshflow/mesh");
    assertThat(TopicFilter.problem("$mcp-rpc/c-{client-id}/#")).contains("must be a whole level");
  }

  /** Anonymous access, no roles and no identity rule: just the protected roots and identity properties given. */
  private static AccessPolicy openAccess(List<String> protectedRoots, List<IdentityProperty> properties) {
    return new AccessPolicy(new AccessSettings(true, Set.of(), null, java.time.Duration.ZERO, Map.of(), protectedRoots,
        new IdentityRule(false, Pattern.compile("x"), null, 0, List.of()), properties));
  }
}
