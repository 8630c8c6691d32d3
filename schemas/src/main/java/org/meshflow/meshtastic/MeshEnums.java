package org.meshflow.meshtastic;

/** Names of the configuration and routing enums that appear in decoded payloads (MESHTASTIC.md section 2). */
public final class MeshEnums {
  private static final NameTable ROLE = new NameTable("CLIENT", "CLIENT_MUTE", "ROUTER", "ROUTER_CLIENT", "REPEATER",
      "TRACKER", "SENSOR", "TAK", "CLIENT_HIDDEN", "LOST_AND_FOUND", "TAK_TRACKER", "ROUTER_LATE", "CLIENT_BASE");

  private static final NameTable REGION = new NameTable("UNSET", "US", "EU_433", "EU_868", "CN", "JP", "ANZ", "KR",
      "TW", "RU", "IN", "NZ_865", "TH", "LORA_24", "UA_433", "UA_868", "MY_433", "MY_919", "SG_923", "PH_433",
      "PH_868", "PH_915", "ANZ_433", "KZ_433", "KZ_863", "NP_865", "BR_902", "ITU1_2M", "ITU2_2M", "EU_866", "EU_874",
      "EU_917", "EU_N_868", "ITU3_2M", "ITU1_70CM", "ITU2_70CM", "ITU3_70CM", "ITU2_125CM");

  private static final NameTable MODEM_PRESET = new NameTable("LONG_FAST", "LONG_SLOW", "VERY_LONG_SLOW",
      "MEDIUM_SLOW", "MEDIUM_FAST", "SHORT_SLOW", "SHORT_FAST", "LONG_MODERATE", "SHORT_TURBO", "LONG_TURBO",
      "LITE_FAST", "LITE_SLOW", "NARROW_FAST", "NARROW_SLOW", "TINY_FAST", "TINY_SLOW", "MEDIUM_TURBO");

  private static final NameTable ROUTING_ERROR = new NameTable("NONE", "NO_ROUTE", "GOT_NAK", "TIMEOUT",
      "NO_INTERFACE", "MAX_RETRANSMIT", "NO_CHANNEL", "TOO_LARGE", "NO_RESPONSE", "DUTY_CYCLE_LIMIT")
      .with(32, "BAD_REQUEST").with(33, "NOT_AUTHORIZED").with(34, "PKI_FAILED").with(35, "PKI_UNKNOWN_PUBKEY");

  private MeshEnums() {}

  /** Config.DeviceConfig.Role. */
  public static String role(int number) {
    return ROLE.name(number);
  }

  /** Config.LoRaConfig.RegionCode. */
  public static String region(int number) {
    return REGION.name(number);
  }

  /** Config.LoRaConfig.ModemPreset. */
  public static String modemPreset(int number) {
    return MODEM_PRESET.name(number);
  }

  /** Routing.Error. */
  public static String routingError(int number) {
    return ROUTING_ERROR.name(number);
  }
}
