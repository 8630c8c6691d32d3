package org.meshflow.meshtastic;

/** Meshtastic application port numbers (portnums.proto) and their names. */
public final class PortNum {
  public static final int UNKNOWN_APP = 0;
  public static final int TEXT_MESSAGE_APP = 1;
  public static final int POSITION_APP = 3;
  public static final int NODEINFO_APP = 4;
  public static final int ROUTING_APP = 5;
  public static final int TELEMETRY_APP = 67;
  public static final int TRACEROUTE_APP = 70;
  public static final int NEIGHBORINFO_APP = 71;
  public static final int MAP_REPORT_APP = 73;

  private static final NameTable NAMES = new NameTable("UNKNOWN_APP", "TEXT_MESSAGE_APP", "REMOTE_HARDWARE_APP",
      "POSITION_APP", "NODEINFO_APP", "ROUTING_APP", "ADMIN_APP", "TEXT_MESSAGE_COMPRESSED_APP", "WAYPOINT_APP",
      "AUDIO_APP", "DETECTION_SENSOR_APP", "ALERT_APP", "KEY_VERIFICATION_APP")
      .with(32, "REPLY_APP").with(33, "IP_TUNNEL_APP").with(34, "PAXCOUNTER_APP")
      .with(35, "STORE_FORWARD_PLUSPLUS_APP").with(36, "NODE_STATUS_APP").with(37, "MESH_BEACON_APP")
      .with(64, "SERIAL_APP").with(65, "STORE_FORWARD_APP").with(66, "RANGE_TEST_APP")
      .with(67, "TELEMETRY_APP").with(68, "ZPS_APP").with(69, "SIMULATOR_APP").with(70, "TRACEROUTE_APP")
      .with(71, "NEIGHBORINFO_APP").with(72, "ATAK_PLUGIN").with(73, "MAP_REPORT_APP").with(74, "POWERSTRESS_APP")
      .with(75, "LORAWAN_BRIDGE").with(76, "RETICULUM_TUNNEL_APP").with(77, "CAYENNE_APP")
      .with(78, "ATAK_PLUGIN_V2").with(79, "LORA_OTA_APP").with(112, "GROUPALARM_APP").with(256, "PRIVATE_APP")
      .with(257, "ATAK_FORWARDER").with(511, "MAX");

  private PortNum() {}

  /** The port's name, or its number as text when Meshflow does not know it. */
  public static String name(int portnum) {
    return NAMES.name(portnum);
  }

  public static boolean isKnown(int portnum) {
    return NAMES.isKnown(portnum);
  }
}
