package org.meshflow.bridge.configuration;

/**
 * Per-client publish rate (token bucket: {@code publishRate} per second, bursts up to
 * {@code publishBurst}), the bound on PUBLISHes waiting for Kafka, and how many rate rejections in a
 * row get a client disconnected.
 */
public record Limits(double publishRate, int publishBurst, int maxInFlight, int disconnectAfterRejections) {}
