package org.meshflow.bridge.security;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.charset.StandardCharsets;
import org.meshflow.bridge.configuration.TopicFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks user name and password against the credentials, remembers the user on the connection and
 * gives the connection its roles' topic permissions (everything else is denied), {@code {client-id}}
 * levels bound to the connecting client's id.
 */
public final class BridgeAuthenticator implements SimpleAuthenticator {
  public static final String USER_ATTRIBUTE = "meshflow.bridge.user";
  private static final Logger log = LoggerFactory.getLogger(BridgeAuthenticator.class);

  private final Principals principals;

  public BridgeAuthenticator(Principals principals) {
    this.principals = principals;
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    final var connect = input.getConnectPacket();
    final var clientId = input.getClientInformation().getClientId();
    final Principal principal;
    if (connect.getUserName().isPresent()) {
      final var password = connect.getPassword()
          .map(b -> StandardCharsets.UTF_8.decode(b.duplicate()).toString().toCharArray()).orElse(new char[0]);
      final var found = principals.authenticate(connect.getUserName().get(), password);
      if (found.isEmpty()) {
        log.info("client {} refused: bad user name or password", clientId);
        output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        return;
      }
      principal = found.get();
      input.getConnectionInformation().getConnectionAttributeStore().putAsString(USER_ATTRIBUTE, principal.username());
    } else if (principals.allowAnonymous()) {
      principal = principals.resolve(null);
    } else {
      log.info("client {} refused: no credentials", clientId);
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "credentials required");
      return;
    }
    final var permissions = output.getDefaultPermissions();
    for (final var role : principal.roles().stream().map(r -> r.forClient(clientId)).toList()) {
      role.publish().forEach(f -> permissions.add(permission(f, TopicPermission.MqttActivity.PUBLISH)));
      role.subscribe().forEach(f -> permissions.add(permission(f, TopicPermission.MqttActivity.SUBSCRIBE)));
    }
    permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    output.authenticateSuccessfully();
  }

  private static TopicPermission permission(TopicFilter filter, TopicPermission.MqttActivity activity) {
    return Builders.topicPermission().topicFilter(filter.filter()).activity(activity)
        .type(TopicPermission.PermissionType.ALLOW).build();
  }
}
