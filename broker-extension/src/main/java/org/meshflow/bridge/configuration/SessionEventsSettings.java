package org.meshflow.bridge.configuration;

import java.util.regex.Pattern;

/** Connects and disconnects of clients whose id matches {@code clientIdPattern} go to {@code kafkaTopic}. */
public record SessionEventsSettings(boolean enabled, Pattern clientIdPattern, String kafkaTopic) {
  public boolean covers(String clientId) {
    return enabled && clientIdPattern.matcher(clientId).matches();
  }
}
