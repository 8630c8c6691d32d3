package org.meshflow.jobs.state;

/** A store cannot be read right now (its job is starting, rebalancing or absent). */
public final class StateUnavailableException extends RuntimeException {
  public StateUnavailableException(String message) {
    super(message);
  }
}
