package org.meshflow.jobs.mqtt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.meshflow.records.Alert;

/** One alert becomes one JSON event on {@code <root>/alerts/<router-id>}. */
final class AlertEventProcessor implements Processor<String, Alert, String, byte[]> {
  private final MqttOutputConfig config;
  private ProcessorContext<String, byte[]> context;

  AlertEventProcessor(MqttOutputConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Alert> record) {
    final Alert alert = record.value();
    if (alert == null) {
      return;
    }
    final var json = JsonNodeFactory.instance.objectNode();
    json.put("id", alert.getAlertId());
    json.put("type", alert.getType());
    json.put("router", alert.getSubject());
    json.put("at", MqttJson.iso(alert.getAt()));
    json.put("severity", alert.getSeverity());
    json.put("message", alert.getMessage());
    if (alert.getOutageSeconds() != null) {
      json.put("outageSeconds", alert.getOutageSeconds());
    }
    if (!alert.getDetails().isEmpty()) {
      final var details = json.putObject("details");
      alert.getDetails().forEach((k, v) -> details.put(k.toString(), v));
    }
    context.forward(record.withKey(config.alertTopic(alert.getSubject())).withValue(MqttJson.bytes(json)));
  }
}
