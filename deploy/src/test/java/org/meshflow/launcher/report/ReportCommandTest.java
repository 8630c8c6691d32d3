package org.meshflow.launcher.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.meshflow.launcher.UsageException;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** The availability report read from real topics, as the health job writes them, through a registry. */
class ReportCommandTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void printsEachRoutersAvailabilityOutagesAndDowntimeInTheWindow() throws Exception {
    try (var kafka = EmbeddedKafka.start(); var server = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      kafka.createTopic("mesh.router-outages.v1", 2);
      kafka.createTopic("mesh.router-status.v1", 2);
      try (var producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
        final var outage = outage("!0000000a", "2026-03-01T06:00:00Z", "2026-03-01T07:12:00Z");
        send(producer, "mesh.router-outages.v1", outage);
        send(producer, "mesh.router-outages.v1", outage); // written again after a crash: one outage
        send(producer, "mesh.router-outages.v1", outage("!0000000a", "2026-03-01T20:00:00Z", "2026-03-01T20:00:30Z"));
        send(producer, "mesh.router-outages.v1", outage("!0000000b", "2026-02-28T23:00:00Z", "2026-03-01T01:00:00Z"));
        send(producer, "mesh.router-status.v1", status("!0000000a", RouterState.ONLINE, "2026-03-01T20:00:30Z"));
        send(producer, "mesh.router-status.v1", status("!0000000b", RouterState.ONLINE, "2026-03-01T01:00:00Z"));
        send(producer, "mesh.router-status.v1", status("!0000000c", RouterState.OFFLINE, "2026-03-01T18:00:00Z"));
        send(producer, "mesh.router-status.v1", status("!0000000d", RouterState.ONLINE, "2026-02-01T00:00:00Z"));
        producer.flush();
      }
      final String[] window = {"availability", "--kafka", kafka.bootstrapServers(), "--registry", server.url(),
          "--from", "2026-03-01", "--to", "2026-03-02T00:00:00Z"};

      final String text = run(window);
      assertThat(text.lines().skip(1)).containsExactly(
          "router     available  outages  open  downtime  longest",
          "!0000000c    75.000%        1     1     6h 0m    6h 0m",
          "!0000000a    94.965%        2     0    1h 12m   1h 12m",
          "!0000000b    95.833%        1     0     1h 0m    1h 0m",
          "!0000000d   100.000%        0     0        0s       0s");

      final String json = run(append(window, "--json"));
      assertThat(json).contains("{\"router\":\"!0000000c\",\"availabilityPercent\":75.0,\"outages\":1,\"openOutages\":1,"
          + "\"downtimeSeconds\":21600,\"longestOutageSeconds\":21600}");
    }
  }

  @Test
  void aWindowThatEndsBeforeItStartsIsAUsageError() {
    assertThatThrownBy(() -> run(new String[] {"availability", "--from", "2026-03-02", "--to", "2026-03-01"}))
        .isInstanceOf(UsageException.class).hasMessage("--from must be before --to");
  }

  private String run(String[] args) throws Exception {
    final var out = new ByteArrayOutputStream();
    new ReportCommand(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC)).run(args);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String[] append(String[] args, String more) {
    final String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void send(KafkaProducer<String, byte[]> producer, String topic, SpecificRecord record) throws Exception {
    final AvroSerde serde = AvroSerde.specific(registry, (Class<SpecificRecord>) record.getClass());
    producer.send(new ProducerRecord<>(topic, String.valueOf(record.get(0)), serde.serialize(topic, record))).get();
  }

  private static RouterOutage outage(String router, String start, String end) {
    final Instant from = Instant.parse(start);
    final Instant to = Instant.parse(end);
    return RouterOutage.newBuilder().setRouterId(router).setOutageId(router + "/" + from.toEpochMilli())
        .setStartedAt(from).setEndedAt(to).setDurationSeconds(to.getEpochSecond() - from.getEpochSecond())
        .setCause("CONNECTION_LOST").setAlerted(true).build();
  }

  private static RouterStatus status(String router, RouterState state, String since) {
    return RouterStatus.newBuilder().setRouterId(router).setState(state).setSince(Instant.parse(since))
        .setConnected(state != RouterState.OFFLINE).setUpdatedAt(Instant.parse(since)).build();
  }
}
