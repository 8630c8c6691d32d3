package org.meshflow.jobs.nodes;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.NodeState;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.registry.SchemaRegistry;

/** mesh.receptions.v1, re-keyed by sender -> the latest NodeState per node on mesh.nodes.v1 (compacted). */
public final class NodesTopology {
  public static final String APPLICATION_ID = "meshflow-nodes";
  /** Each node's NodeState by node id, for interactive queries. */
  public static final String NODES_STORE = NodeStateProcessor.STATES;

  private NodesTopology() {}

  public static Topology build(NodesConfig config, SchemaRegistry registry) {
    final var builder = new StreamsBuilder();
    final var receptions = AvroSerdes.serde(registry, Reception.class);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeStateProcessor.STATES),
        Serdes.String(), AvroSerdes.serde(registry, NodeState.class)));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeStateProcessor.PUBLISHED),
        Serdes.String(), Serdes.Long()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeStateProcessor.PENDING),
        Serdes.String(), Serdes.Long()));
    builder.stream(config.receptionsTopic(), Consumed.with(Serdes.String(), receptions)
            .withTimestampExtractor(new EventTimeExtractor()).withOffsetResetPolicy(AutoOffsetReset.earliest()))
        .filter((key, copy) -> copy != null)
        .selectKey((key, copy) -> copy.getFrom() == null ? "" : copy.getFrom())
        .repartition(Repartitioned.<String, Reception>as("receptions-by-node")
            .withKeySerde(Serdes.String()).withValueSerde(receptions))
        .process(() -> new NodeStateProcessor(config), NodeStateProcessor.STATES, NodeStateProcessor.PUBLISHED,
            NodeStateProcessor.PENDING)
        .split()
        .branch((key, value) -> value instanceof NodeState, Branched.withConsumer(states -> states
            .mapValues(value -> (NodeState) value)
            .to(config.nodesTopic(), Produced.with(Serdes.String(), AvroSerdes.serde(registry, NodeState.class)))))
        .defaultBranch(Branched.withConsumer(rejected -> rejected
            .mapValues(value -> (Rejected) value)
            .to(config.dlqTopic(), Produced.with(Serdes.String(), AvroSerdes.serde(registry, Rejected.class)))));
    return builder.build();
  }

  public static Properties streamsConfig(NodesConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("nodes", APPLICATION_ID, bootstrapServers, stateDir, registry, config.dlqTopic());
  }

}
