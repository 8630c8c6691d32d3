package org.meshflow.jobs.nodes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.records.NodeState;
import org.meshflow.records.Reception;

/**
 * Keeps each node's {@link NodeState} and republishes it when there is news; receptions that only
 * move counters and signal figures are published at most once per publish interval, the held-back
 * ones by a wall-clock punctuator.
 */
final class NodeStateProcessor implements Processor<String, Reception, String, SpecificRecord> {
  static final String STATES = "node-state";
  static final String PUBLISHED = "node-published";
  static final String PENDING = "node-pending";
  private static final Pattern NODE_ID = Pattern.compile("![0-9a-f]{8}");

  private final NodesConfig config;
  private final NodeKnowledge knowledge;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, NodeState> states;
  private KeyValueStore<String, Long> published;
  private KeyValueStore<String, Long> pending;

  NodeStateProcessor(NodesConfig config) {
    this.config = config;
    this.knowledge = new NodeKnowledge(config);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    states = context.getStateStore(STATES);
    published = context.getStateStore(PUBLISHED);
    pending = context.getStateStore(PENDING);
    context.schedule(config.publishInterval(), PunctuationType.WALL_CLOCK_TIME, wall -> publishPending());
  }

  @Override
  public void process(Record<String, Reception> record) {
    final Reception copy = record.value();
    final String node = record.key();
    if (node == null || !NODE_ID.matcher(node).matches()) {
      final var rejected = DeadLetters.rejected("nodes", "sender '" + node + "' is not a node id (!xxxxxxxx)",
              config.receptionsTopic(), Instant.ofEpochMilli(record.timestamp()))
          .setOriginalKey(copy.getPacketKey() == null ? null
              : DeadLetters.bytes(copy.getPacketKey().getBytes(StandardCharsets.UTF_8)))
          .setMqttTopic(copy.getTopic()).setClientId(copy.getGatewayId()).build();
      context.forward(new Record<>(copy.getPacketKey(), rejected, record.timestamp()));
      return;
    }
    final long at = record.timestamp();
    final var update = knowledge.apply(states.get(node), copy, at);
    states.put(node, update.state());
    final Long last = published.get(node);
    if (update.news() || last == null || at - last >= config.publishInterval().toMillis()) {
      publish(node, update.state(), at);
    } else {
      pending.put(node, at);
    }
  }

  /** Nodes whose last changes were held back are published, so the topic never stays behind. */
  private void publishPending() {
    final var nodes = new java.util.ArrayList<String>();
    try (var all = pending.all()) {
      all.forEachRemaining(entry -> nodes.add(entry.key));
    }
    for (String node : nodes) {
      final NodeState state = states.get(node);
      if (state != null) {
        publish(node, state, state.getLastHeardAt().toEpochMilli());
      } else {
        pending.delete(node);
      }
    }
  }

  private void publish(String node, NodeState state, long at) {
    published.put(node, at);
    pending.delete(node);
    context.forward(new Record<>(node, state, at));
  }
}
