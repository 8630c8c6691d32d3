package org.meshflow.jobs.decode;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.config.Durations;
import org.meshflow.meshtastic.DecodeOutcome;
import org.meshflow.meshtastic.MeshtasticCodec;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;

/**
 * Decodes each uplink: packets go out keyed by packet key (so every copy of a packet lands on one
 * partition for dedup), legacy status messages keyed by gateway for the health job, and anything
 * unusable to the DLQ with the original payload.
 */
final class UplinkDecoder implements Processor<String, MqttUplink, String, SpecificRecord> {
  static final String RECEPTIONS = "receptions-sink";
  static final String LEGACY_STATUS = "legacy-status-sink";
  static final String DEAD_LETTERS = "dlq-sink";

  private final DecodeConfig config;
  private final MeshtasticCodec codec;
  private final MeterRegistry meters;
  private ProcessorContext<String, SpecificRecord> context;

  UplinkDecoder(DecodeConfig config, MeshtasticCodec codec, MeterRegistry meters) {
    this.config = config;
    this.codec = codec;
    this.meters = meters;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, MqttUplink> record) {
    final MqttUplink uplink = record.value();
    if (uplink == null) {
      return;
    }
    final long at = record.timestamp();
    final long wall = context.currentSystemTimeMs();
    if (at > wall + config.maxFutureSkew().toMillis()) {
      reject(record, "received at " + Instant.ofEpochMilli(at) + ", more than " + Durations.format(config.maxFutureSkew())
          + " ahead of the job's clock (" + Instant.ofEpochMilli(wall) + ")", "FUTURE");
      return;
    }
    if (at < wall - config.maxAge().toMillis()) {
      reject(record, "received at " + Instant.ofEpochMilli(at) + ", longer ago than max-age "
          + Durations.format(config.maxAge()), "TOO_OLD");
      return;
    }
    final DecodeOutcome outcome = codec.decode(uplink.getTopic(), bytes(uplink.getPayload()), Instant.ofEpochMilli(at));
    if (outcome instanceof DecodeOutcome.Decoded decoded) {
      final Reception reception = decoded.reception();
      meters.counter("meshflow.decode.uplinks", "outcome", decoded.payloadProblem() == null ? "decoded" : "payload_problem")
          .increment();
      context.forward(new Record<>(reception.getPacketKey(), (SpecificRecord) reception, at), RECEPTIONS);
    } else if (outcome instanceof DecodeOutcome.Status status) {
      meters.counter("meshflow.decode.uplinks", "outcome", "status").increment();
      final var legacy = LegacyStatus.newBuilder().setGatewayId(status.gatewayId()).setRoot(status.root())
          .setOnline(status.online()).setClientId(uplink.getClientId()).setAt(Instant.ofEpochMilli(at)).build();
      context.forward(new Record<>(status.gatewayId(), (SpecificRecord) legacy, at), LEGACY_STATUS);
    } else if (outcome instanceof DecodeOutcome.Rejected rejected) {
      reject(record, rejected.reason(), rejected.kind().name());
    }
  }

  private void reject(Record<String, MqttUplink> record, String reason, String kind) {
    meters.counter("meshflow.decode.uplinks", "outcome", "rejected", "kind", kind).increment();
    final MqttUplink uplink = record.value();
    final RecordMetadata source = context.recordMetadata().orElse(null);
    final var rejected = DeadLetters.rejected("decode", reason, source == null ? config.uplinksTopic() : source.topic(),
            Instant.ofEpochMilli(record.timestamp()))
        .setSourcePartition(source == null ? null : source.partition())
        .setSourceOffset(source == null ? null : source.offset())
        .setOriginalKey(record.key() == null ? null : DeadLetters.bytes(record.key().getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(uplink.getPayload()).setMqttTopic(uplink.getTopic()).setClientId(uplink.getClientId()).build();
    context.forward(new Record<>(record.key(), (SpecificRecord) rejected, record.timestamp()), DEAD_LETTERS);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    final var copy = buffer.duplicate();
    final var bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
