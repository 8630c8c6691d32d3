package org.meshflow.bench;

import java.util.Properties;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.Reception;
import org.meshflow.registry.SchemaRegistry;

/**
 * The floor the dedup job is compared with: the same source (receptions, Avro over the registry,
 * event time) and the same Streams settings (exactly-once), forwarding every record unchanged.
 */
public final class PassThroughTopology {
  public static final String APPLICATION_ID = "meshflow-bench-pass-through";

  private PassThroughTopology() {}

  public static Topology build(String inputTopic, String outputTopic, SchemaRegistry registry) {
    final var topology = new Topology();
    topology.addSource(AutoOffsetReset.earliest(), "receptions", new EventTimeExtractor(), Serdes.String().deserializer(),
        AvroSerdes.reader(registry, Reception.class), inputTopic);
    topology.addProcessor("forward", Forward::new, "receptions");
    topology.addSink("out", outputTopic, Serdes.String().serializer(), AvroSerdes.writer(registry, Reception.class),
        "forward");
    return topology;
  }

  public static Properties streamsConfig(String applicationId, String bootstrapServers, Path stateDir,
      SchemaRegistry registry, String dlqTopic) {
    return StreamsSettings.streamsConfig("pass-through", applicationId, bootstrapServers, stateDir, registry, dlqTopic);
  }

  private static final class Forward implements Processor<String, Reception, String, Reception> {
    private ProcessorContext<String, Reception> context;

    @Override
    public void init(ProcessorContext<String, Reception> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, Reception> record) {
      context.forward(record);
    }
  }
}
