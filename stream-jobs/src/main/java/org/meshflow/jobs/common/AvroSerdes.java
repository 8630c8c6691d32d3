package org.meshflow.jobs.common;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/** Avro serdes over the registry, shaped for topology sources and sinks. */
public final class AvroSerdes {
  private AvroSerdes() {}

  public static <T extends SpecificRecord> Serde<T> serde(SchemaRegistry registry, Class<T> type) {
    return AvroSerde.specific(registry, type);
  }

  public static <T extends SpecificRecord> Deserializer<T> reader(SchemaRegistry registry, Class<T> type) {
    return AvroSerde.specific(registry, type).deserializer();
  }

  /** A serializer for a sink fed by a processor that forwards several record types. */
  @SuppressWarnings("unchecked")
  public static Serializer<SpecificRecord> writer(SchemaRegistry registry, Class<? extends SpecificRecord> type) {
    return (Serializer<SpecificRecord>) (Serializer<?>) AvroSerde.specific(registry, type).serializer();
  }
}
