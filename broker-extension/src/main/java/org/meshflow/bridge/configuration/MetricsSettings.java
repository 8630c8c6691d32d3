package org.meshflow.bridge.configuration;

/** Where a standalone extension serves Prometheus metrics; port 0 = not served. */
public record MetricsSettings(String bindAddress, int port, String path) {}
