package org.meshflow.bridge.security;

/** A PUBLISH that is not accepted, with the reason told to an MQTT 5 client. */
public record Rejection(RejectCause cause, String reason) {}
