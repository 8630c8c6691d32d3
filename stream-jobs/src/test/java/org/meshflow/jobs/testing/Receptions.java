package org.meshflow.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.meshflow.records.Reception;
import org.meshflow.testing.MeshVectors;

/** Receptions for job tests: hand-made copies, or the facts of a shared fixture vector. */
public final class Receptions {
  private Receptions() {}

  public static Reception copy(String from, long id, String gateway, Instant receivedAt) {
    return copy(from, id, gateway, receivedAt, 3, -90);
  }

  public static Reception copy(String from, long id, String gateway, Instant receivedAt, int hopLimit, int rssi) {
    return base(from, id, gateway, receivedAt).setHopLimit(hopLimit).setHopsAway(3 - hopLimit).setRxRssi(rssi).build();
  }

  public static Reception.Builder base(String from, long id, String gateway, Instant receivedAt) {
    return Reception.newBuilder().setTopic("msh/US/2/e/LongFast/" + gateway).setRoot("msh/US").setGatewayId(gateway)
        .setChannelId("LongFast").setFrom(from).setTo("!ffffffff").setPacketId(id).setPacketKey(from + "/" + id)
        .setHopLimit(3).setHopStart(3).setHopsAway(0).setRxSnr(5.5f).setRxRssi(-90).setViaMqtt(false)
        .setEncrypted(true).setDecrypted(true).setPortnum("TEXT_MESSAGE_APP").setReceivedAt(receivedAt);
  }

  public static Reception mapReport(String from, String gateway, Instant receivedAt) {
    return base(from, 0, gateway, receivedAt).setPacketKey(from + "/map").setPortnum("MAP_REPORT_APP")
        .setTopic("msh/US/2/map/").build();
  }

  /** The reception a decoder makes of a fixture vector. */
  public static Reception fromVector(MeshVectors.Vector vector, Instant receivedAt) {
    return fromVector(vector, vector.expect().path("gatewayId").asText(), receivedAt);
  }

  /** The reception a decoder makes of a fixture vector, as heard by {@code gateway}. */
  public static Reception fromVector(MeshVectors.Vector vector, String gateway, Instant receivedAt) {
    final JsonNode e = vector.expect();
    final String from = e.path("from").asText();
    final long id = e.path("packetId").asLong();
    final boolean map = "MAP_REPORT_APP".equals(e.path("portnum").asText(null));
    return Reception.newBuilder().setTopic(vector.topic()).setGatewayId(gateway)
        .setChannelId(e.path("channelId").asText("")).setFrom(from).setTo(e.path("to").asText("!ffffffff"))
        .setPacketId(id).setPacketKey(map ? from + "/map" : from + "/" + id)
        .setHopLimit(e.path("hopLimit").asInt()).setHopStart(e.path("hopStart").asInt())
        .setHopsAway(e.hasNonNull("hopsAway") ? e.path("hopsAway").asInt() : null)
        .setRxTime(e.hasNonNull("rxTime") ? e.path("rxTime").asLong() : null)
        .setRxSnr((float) e.path("rxSnr").asDouble()).setRxRssi(e.path("rxRssi").asInt())
        .setViaMqtt(false).setEncrypted(e.path("encrypted").asBoolean()).setDecrypted(e.path("decrypted").asBoolean())
        .setPortnum(e.path("portnum").asText(null)).setReceivedAt(receivedAt).build();
  }
}
