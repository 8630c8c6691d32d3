package org.meshflow.jobs.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshflow.jobs.testing.JobHarness.T0;
import static org.meshflow.jobs.testing.Receptions.copy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.testing.JobHarness;
import org.meshflow.jobs.testing.Receptions;
import org.meshflow.records.Alert;
import org.meshflow.records.HeardBy;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.testing.MeshVectors;

class DedupTopologyTest {
  private static final String NODE = "!a1b2c3d4";
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JobHarness job;
  private TestInputTopic<String, Reception> receptions;
  private TestOutputTopic<String, MeshPacket> packets;
  private TestOutputTopic<String, PacketHeardBy> heardBy;
  private TestOutputTopic<String, Alert> alerts;
  private TestOutputTopic<String, Rejected> dlq;
  /** What the job's consumer would report as its lag on the input. */
  private long inputLag;

  private void start(Path dir, DedupConfig config) {
    job = new JobHarness(dir,
        registry -> DedupTopology.build(config, registry, meters, (topic, partition) -> OptionalLong.of(inputLag)));
    topics();
  }

  private void topics() {
    receptions = job.input("mesh.receptions.v1", Reception.class);
    packets = job.output("mesh.packets.v1", MeshPacket.class);
    heardBy = job.output("mesh.heard-by.v1", PacketHeardBy.class);
    alerts = job.output("mesh.alerts.v1", Alert.class);
    dlq = job.output("mesh.dlq.v1", Rejected.class);
  }

  @AfterEach
  void stop() {
    if (job != null) {
      job.close();
    }
  }

  private void send(Reception reception) {
    receptions.pipeInput(reception.getPacketKey(), reception, reception.getReceivedAt());
  }

  /** Lets the job sit idle long enough for the wall clock to close every window up to now. */
  private void idle(Duration duration) {
    job.advance(Duration.ofSeconds(11));
    job.advance(duration);
  }

  @Test
  void onePacketAtTheFirstCopyAndEveryGatewayWhenTheWindowCloses(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    send(copy(NODE, 42, "!00000001", T0, 2, -80));

    final List<MeshPacket> first = packets.readValuesToList();
    assertThat(first).singleElement().satisfies(p -> {
      assertThat(p.getPacketKey()).isEqualTo(NODE + "/42");
      assertThat(p.getFirstHeardAt()).isEqualTo(T0);
      assertThat(p.getHeardBy()).extracting(HeardBy::getGatewayId).containsExactly("!00000001");
    });

    send(copy(NODE, 42, "!00000002", T0.plusSeconds(1), 1, -100));
    send(copy(NODE, 42, "!00000003", T0.plusSeconds(2), 3, -70));
    send(copy(NODE, 42, "!00000002", T0.plusSeconds(30), 0, -110));
    assertThat(packets.isEmpty()).isTrue();
    assertThat(heardBy.isEmpty()).as("window still open").isTrue();

    idle(Duration.ofMinutes(10));
    final PacketHeardBy all = heardBy.readValue();
    assertThat(all.getCopies()).isEqualTo(4);
    assertThat(all.getFirstHeardAt()).isEqualTo(T0);
    assertThat(all.getLastHeardAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(all.getHeardBy()).extracting(HeardBy::getGatewayId).containsExactly("!00000001", "!00000002", "!00000003");
    assertThat(all.getHeardBy()).extracting(HeardBy::getCopies).containsExactly(1, 2, 1);
    assertThat(all.getHeardBy()).extracting(HeardBy::getRxRssi).containsExactly(-80, -100, -70);
    assertThat(all.getHeardBy()).extracting(HeardBy::getHopLimit).containsExactly(2, 1, 3);
    assertThat(heardBy.isEmpty()).isTrue();
    assertThat(meters.counter("meshflow.dedup.copies", "outcome", "duplicate").count()).isEqualTo(3);
  }

  @Test
  void noWindowClosesByTheWallClockWhileTheConsumerIsBehindTheEndOfTheInput(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final Instant old = T0.minus(Duration.ofMinutes(15));
    send(copy(NODE, 45, "!00000001", old));
    // the poll stalls on a loaded machine, with more of the backlog waiting in the topic
    inputLag = 250;
    idle(Duration.ofMinutes(5));
    assertThat(heardBy.isEmpty()).isTrue();

    send(copy(NODE, 45, "!00000002", old.plusMillis(40)));
    inputLag = 0;
    idle(Duration.ofSeconds(1));
    assertThat(heardBy.readValuesToList()).singleElement().satisfies(h -> {
      assertThat(h.getCopies()).isEqualTo(2);
      assertThat(h.getHeardBy()).extracting(HeardBy::getGatewayId).containsExactly("!00000001", "!00000002");
    });
    assertThat(meters.counter("meshflow.dedup.copies", "outcome", "late").count()).isZero();
  }

  @Test
  void copiesWrittenAfterTheInputWasDrainedAndItsWindowsClosedAreLateNotNewPackets(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final Instant old = T0.minus(Duration.ofMinutes(15));
    send(copy(NODE, 43, "!00000001", old));
    // the consumer is at the end of the input and nothing arrives: the wall clock closes the packet's window
    idle(Duration.ofSeconds(1));
    assertThat(heardBy.readValuesToList()).extracting(PacketHeardBy::getCopies).containsExactly(1);
    // then copies held up somewhere upstream arrive after all
    send(copy(NODE, 43, "!00000002", old.plusMillis(40)));
    send(copy(NODE, 44, "!00000002", old.plusMillis(80)));
    idle(Duration.ofSeconds(1));

    assertThat(packets.readValuesToList()).extracting(MeshPacket::getPacketKey)
        .containsExactly(NODE + "/43", NODE + "/44");
    assertThat(heardBy.readValuesToList()).extracting(PacketHeardBy::getPacketKey).containsExactly(NODE + "/44");
    assertThat(meters.counter("meshflow.dedup.copies", "outcome", "late").count()).isEqualTo(1);
  }

  @Test
  void aPacketHeardByManyGatewaysKeepsEveryCopyAndTakesItsPortFromTheFirstCopyThatHasOne(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    send(Receptions.base(NODE, 46, "!00000000", T0).setPortnum(null).setDecrypted(false).setHopsAway(null).build());
    for (int g = 1; g < 60; g++) {
      send(Receptions.base(NODE, 46, String.format("!%08x", g), T0.plusMillis(10L * g)).setRxTime(1_772_366_400L + g)
          .setRxRssi(-60 - g).build());
    }
    send(copy(NODE, 46, "!00000007", T0.plusSeconds(5)));
    idle(Duration.ofMinutes(10));

    assertThat(heardBy.readValuesToList()).singleElement().satisfies(h -> {
      assertThat(h.getCopies()).isEqualTo(61);
      assertThat(h.getPortnum()).isEqualTo("TEXT_MESSAGE_APP");
      assertThat(h.getLastHeardAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(h.getHeardBy()).hasSize(60);
      assertThat(h.getHeardBy().get(0)).satisfies(first -> {
        assertThat(first.getHopsAway()).isNull();
        assertThat(first.getRxTime()).isNull();
      });
      assertThat(h.getHeardBy().get(7)).satisfies(seventh -> {
        assertThat(seventh.getGatewayId()).isEqualTo("!00000007");
        assertThat(seventh.getCopies()).isEqualTo(2);
        assertThat(seventh.getRxRssi()).isEqualTo(-67);
        assertThat(seventh.getRxTime()).isEqualTo(1_772_366_407L);
        assertThat(seventh.getReceivedAt()).isEqualTo(T0.plusMillis(70));
      });
    });
  }

  @Test
  void theStoresForgetPacketsAndNodesALatenessAfterTheirWindowsClose(@TempDir Path dir) {
    final var config = DedupConfig.defaults().withWindow(Duration.ofMinutes(1));
    start(dir, config);
    // an hour of packets 6 s apart, each from a node of its own
    final Instant from = T0.minus(Duration.ofMinutes(70));
    for (int i = 0; i < 600; i++) {
      final String node = String.format("!%08x", 0xc0000000L + i);
      send(copy(node, i, "!00000001", from.plusSeconds(6L * i)));
      send(copy(node, i, "!00000002", from.plusSeconds(6L * i).plusMillis(40)));
    }
    assertThat(heardBy.readValuesToList()).hasSizeGreaterThan(500).allSatisfy(h -> assertThat(h.getCopies()).isEqualTo(2));

    // kept: the open windows and those closed less than a lateness ago, give or take a maintenance step
    final long keptSeconds = config.window().plus(config.maxLateness()).toSeconds();
    final long step = PacketDeduplicator.maintenanceStep(config).toSeconds();
    assertThat(JobHarness.count(job.driver().getKeyValueStore(PacketDeduplicator.COPIES_STORE).all()))
        .isBetween(keptSeconds / 6 - 1, (keptSeconds + step) / 6 + 1);
    // node counts: those a copy may still fall in, swept once per lateness
    assertThat(JobHarness.count(job.driver().getKeyValueStore(PacketDeduplicator.RATES_STORE).all()))
        .isLessThanOrEqualTo((2 * config.maxLateness().toSeconds() + config.nodeRateWindow().toSeconds()) / 6 + 1);
    // the close index: packet windows for about two windows, the future skew and the lateness (and up to
    // one store segment, half that, more), not for the hour-long map-report bucket
    final long indexedSeconds = config.window().multipliedBy(2).plus(config.maxFutureSkew())
        .plus(config.maxLateness()).toSeconds() * 3 / 2 + 4 * step;
    assertThat(JobHarness.count(job.driver().getWindowStore(PacketDeduplicator.PACKET_CLOSE_INDEX_STORE).all()))
        .isBetween(keptSeconds / 6 - 1, indexedSeconds / 6 + 1);
  }

  @Test
  void streamTimeClosesWindowsWhileRecordsFlow(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    send(copy(NODE, 1, "!00000001", T0));
    send(copy(NODE, 2, "!00000001", T0.plus(Duration.ofMinutes(10)).plusMillis(1)));
    job.advance(Duration.ofSeconds(1));

    assertThat(heardBy.readValuesToList()).extracting(PacketHeardBy::getPacketKey).containsExactly(NODE + "/1");
  }

  @Test
  void theSameIdAfterTheWindowIsANewPacketAndALateCopyIsOnlyCounted(@TempDir Path dir) {
    start(dir, DedupConfig.defaults().withWindow(Duration.ofMinutes(1)));
    send(copy(NODE, 7, "!00000001", T0));
    send(copy(NODE, 9, "!00000001", T0.plusSeconds(61)));
    job.advance(Duration.ofSeconds(1));
    assertThat(heardBy.readValuesToList()).extracting(PacketHeardBy::getPacketKey).containsExactly(NODE + "/7");

    send(copy(NODE, 7, "!00000002", T0.plusSeconds(50)));
    assertThat(meters.counter("meshflow.dedup.copies", "outcome", "late").count()).isEqualTo(1);
    send(copy(NODE, 7, "!00000003", T0.plusSeconds(62)));

    assertThat(packets.readValuesToList()).extracting(MeshPacket::getPacketKey)
        .containsExactly(NODE + "/7", NODE + "/9", NODE + "/7");
    idle(Duration.ofMinutes(2));
    assertThat(heardBy.readValuesToList()).extracting(h -> h.getPacketKey() + " " + h.getCopies())
        .containsExactlyInAnyOrder(NODE + "/9 1", NODE + "/7 1");
  }

  @Test
  void mapReportsAreOnePerNodeAndHour(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final Instant hour = T0.minus(Duration.ofHours(2));
    send(Receptions.mapReport(NODE, "!00000001", hour.plusSeconds(60)));
    send(Receptions.mapReport(NODE, "!00000002", hour.plusSeconds(70)));
    send(Receptions.mapReport(NODE, "!00000001", hour.plus(Duration.ofMinutes(50))));
    send(Receptions.mapReport("!0000beef", "!00000001", hour.plus(Duration.ofMinutes(51))));
    send(Receptions.mapReport(NODE, "!00000001", hour.plus(Duration.ofMinutes(61))));

    assertThat(packets.readValuesToList()).extracting(p -> p.getPacketKey() + " " + p.getFirstHeardAt())
        .containsExactly(NODE + "/map " + hour.plusSeconds(60), "!0000beef/map " + hour.plus(Duration.ofMinutes(51)),
            NODE + "/map " + hour.plus(Duration.ofMinutes(61)));
    job.advance(Duration.ofSeconds(1));
    assertThat(heardBy.readValuesToList()).filteredOn(h -> h.getFrom().equals(NODE)).singleElement().satisfies(h -> {
      assertThat(h.getPacketKey()).isEqualTo(NODE + "/map");
      assertThat(h.getCopies()).isEqualTo(3);
      assertThat(h.getHeardBy()).extracting(HeardBy::getGatewayId).containsExactly("!00000001", "!00000002");
    });
  }

  @Test
  void packetAndMapReportWindowsCloseInTheOrderOfTheirCloseTimes(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final Instant hour = T0.minus(Duration.ofHours(2));
    send(Receptions.mapReport(NODE, "!00000001", hour.plusSeconds(60)));                // closes at +60 min
    send(copy("!0000a001", 1, "!00000001", hour.plus(Duration.ofMinutes(45))));         // closes at +55 min
    send(copy("!0000a002", 2, "!00000001", hour.plus(Duration.ofMinutes(55))));         // closes at +65 min
    send(copy("!0000a003", 3, "!00000001", hour.plus(Duration.ofMinutes(70))));         // stream time moves on

    assertThat(heardBy.readValuesToList()).extracting(PacketHeardBy::getPacketKey)
        .containsExactly("!0000a001/1", NODE + "/map", "!0000a002/2");
  }

  @Test
  void theSharedVectorsDeduplicateToOnePacketPerFromAndId(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final var vectors = MeshVectors.fixtures().stream().filter(v -> !v.bad()).toList();
    Instant at = T0;
    for (var vector : vectors) {
      at = at.plusMillis(100);
      send(Receptions.fromVector(vector, at));
    }
    final long distinct = vectors.stream()
        .map(v -> v.expect().path("from").asText() + "/" + v.expect().path("packetId").asText()).distinct().count();
    assertThat(distinct).isLessThan(vectors.size());
    assertThat(packets.readValuesToList()).hasSize((int) distinct);

    idle(Duration.ofHours(1));
    final var lists = heardBy.readValuesToList();
    assertThat(lists).hasSize((int) distinct);
    assertThat(lists.stream().mapToInt(PacketHeardBy::getCopies).sum()).isEqualTo(vectors.size());
    assertThat(lists).filteredOn(h -> h.getHeardBy().size() == 2).extracting(PacketHeardBy::getPortnum)
        .isNotEmpty().containsOnly("TELEMETRY_APP");
  }

  @Test
  void copiesFromTheFutureOrTooFarBehindGoToTheDeadLetterTopic(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    send(copy(NODE, 1, "!00000001", T0.plus(Duration.ofMinutes(6))));
    send(copy(NODE, 2, "!00000001", T0.plus(Duration.ofMinutes(1))));
    send(copy(NODE, 3, "!00000001", T0.plus(Duration.ofMinutes(2))));
    send(copy(NODE, 4, "!00000001", T0.minus(Duration.ofMinutes(9))));

    assertThat(packets.readValuesToList()).extracting(MeshPacket::getPacketId).containsExactly(2L, 3L);
    final List<Rejected> rejected = dlq.readValuesToList();
    assertThat(rejected).extracting(Rejected::getStage).containsOnly("dedup");
    assertThat(rejected).extracting(Rejected::getReason).satisfiesExactly(
        r -> assertThat(r).contains("ahead of the job's clock"),
        r -> assertThat(r).contains("behind newer receptions"));
    assertThat(rejected.get(0).getClientId()).isEqualTo("!00000001");
  }

  @Test
  void aCopyStampedFarAheadOfTheClockDoesNotHoldUpTheOthers(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    send(copy(NODE, 1, "!00000001", T0.plus(Duration.ofDays(365))));
    send(copy(NODE, 2, "!00000001", T0.plusSeconds(1)));
    send(copy(NODE, 2, "!00000002", T0.plusSeconds(2)));
    idle(Duration.ofMinutes(10));

    assertThat(dlq.readValuesToList()).singleElement()
        .satisfies(r -> assertThat(r.getReason()).contains("ahead of the job's clock"));
    assertThat(packets.readValuesToList()).extracting(MeshPacket::getPacketId).containsExactly(2L);
    assertThat(heardBy.readValuesToList()).singleElement().satisfies(h -> assertThat(h.getCopies()).isEqualTo(2));
  }

  @Test
  void unreadableRecordsGoToTheDeadLetterTopicAndTheJobGoesOn(@TempDir Path dir) {
    start(dir, DedupConfig.defaults());
    final var raw = job.rawInput("mesh.receptions.v1");
    raw.pipeInput("garbage", new byte[] {1, 2, 3}, T0);
    raw.pipeInput("unknown-schema", new byte[] {0, 0, 0, 0, 99, 2, 4}, T0);
    send(copy(NODE, 5, "!00000001", T0));

    assertThat(packets.readValuesToList()).extracting(MeshPacket::getPacketId).containsExactly(5L);
    final List<TestRecord<String, Rejected>> rejected = dlq.readRecordsToList();
    assertThat(rejected).extracting(TestRecord::key).containsExactly("garbage", "unknown-schema");
    assertThat(rejected).extracting(r -> r.value().getStage()).containsOnly("deserialize");
    assertThat(rejected.get(0).value().getReason()).contains("not in Confluent wire format");
    assertThat(rejected.get(1).value().getReason()).contains("unknown schema id 99");
    assertThat(rejected.get(0).value().getOriginalValue().array()).containsExactly(1, 2, 3);
    assertThat(rejected.get(0).value().getSourceTopic()).isEqualTo("mesh.receptions.v1");
  }

  @Test
  void aFloodingNodeRaisesOneAlertPerBucketAndItsPacketsStillFlow(@TempDir Path dir) {
    start(dir, DedupConfig.defaults().withNodePacketLimit(3));
    for (int i = 0; i < 6; i++) {
      send(copy(NODE, 100 + i, "!00000001", T0.plusSeconds(i)));
      send(copy(NODE, 100 + i, "!00000002", T0.plusSeconds(i)));
    }
    send(copy("!0000beef", 1, "!00000001", T0.plusSeconds(7)));

    assertThat(packets.readValuesToList()).hasSize(7);
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("NODE_FLOODING");
      assertThat(a.getSubject()).isEqualTo(NODE);
      assertThat(a.getAlertId()).isEqualTo("NODE_FLOODING/" + NODE + "/" + T0.toEpochMilli());
    });
    assertThat(meters.counter("meshflow.dedup.flooding.packets").count()).isEqualTo(3);
  }
}
