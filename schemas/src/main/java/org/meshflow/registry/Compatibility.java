package org.meshflow.registry;

/** Confluent compatibility levels. BACKWARD is the default everywhere in Meshflow. */
public enum Compatibility {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
