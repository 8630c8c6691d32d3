package org.meshflow.meshtastic;

import org.meshflow.records.Reception;

/** What the codec made of one uplink: a decoded reception, a legacy status message, or a rejection. */
public sealed interface DecodeOutcome {

  /**
   * A mesh packet copy (encrypted or not, decrypted or not).
   *
   * @param payloadProblem why the application payload could not be decoded although the packet was
   *     readable (the reception is kept, its payload is null); null when there was no problem
   */
  record Decoded(Reception reception, String payloadProblem) implements DecodeOutcome {
    public Decoded(Reception reception) {
      this(reception, null);
    }
  }

  /** A legacy {@code <root>/2/stat/!id} message from firmware older than 2.4.1. */
  record Status(String root, String gatewayId, boolean online) implements DecodeOutcome {}

  /** Input that is not a usable uplink, with the reason in words a person can act on. */
  record Rejected(RejectKind kind, String reason) implements DecodeOutcome {}

  /** Families of rejection, for counters and metrics. */
  enum RejectKind {
    NOT_A_MESH_TOPIC, MALFORMED_ENVELOPE, MISSING_PACKET, GATEWAY_MISMATCH, OVERSIZED, MALFORMED_PAYLOAD, MALFORMED_JSON
  }
}
