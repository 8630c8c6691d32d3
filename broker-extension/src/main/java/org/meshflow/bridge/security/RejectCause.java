package org.meshflow.bridge.security;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;

/**
 * Why a PUBLISH was not accepted. {@code transientFailure} causes are worth a resend: an MQTT 3
 * client gets no acknowledgement (it is disconnected and resends), while an MQTT 3 client's
 * PUBLISH refused for good is acknowledged and dropped, so it does not resend forever. A publish
 * over the rate limit is worth a resend later: an MQTT 3 client is cut off, not acknowledged, so
 * nothing acknowledged is lost.
 */
public enum RejectCause {
  NOT_PERMITTED("not-permitted", AckReasonCode.NOT_AUTHORIZED, false),
  PROTECTED_ROOT("protected-root", AckReasonCode.NOT_AUTHORIZED, false),
  IDENTITY_TOPIC("identity-topic", AckReasonCode.NOT_AUTHORIZED, false),
  IDENTITY_PAYLOAD("identity-payload", AckReasonCode.NOT_AUTHORIZED, false),
  IDENTITY_PROPERTY("identity-property", AckReasonCode.NOT_AUTHORIZED, false),
  PAYLOAD_FORMAT("payload-format", AckReasonCode.PAYLOAD_FORMAT_INVALID, false),
  PAYLOAD_SIZE("payload-size", AckReasonCode.QUOTA_EXCEEDED, false),
  RATE("rate", AckReasonCode.QUOTA_EXCEEDED, true),
  IN_FLIGHT("in-flight", AckReasonCode.QUOTA_EXCEEDED, true),
  KAFKA("kafka", AckReasonCode.UNSPECIFIED_ERROR, true);

  private final String tag;
  private final AckReasonCode reasonCode;
  private final boolean transientFailure;

  RejectCause(String tag, AckReasonCode reasonCode, boolean transientFailure) {
    this.tag = tag;
    this.reasonCode = reasonCode;
    this.transientFailure = transientFailure;
  }

  /** The cause as written in metrics and logs. */
  public String tag() {
    return tag;
  }

  public AckReasonCode reasonCode() {
    return reasonCode;
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
