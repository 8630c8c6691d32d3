package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.meshtastic.DecodeOutcome.Status;
import org.meshflow.testing.MeshVectors;
import org.meshflow.testing.MeshVectors.Vector;

/** Mutated fixture envelopes and random bytes never make the codec throw, stall or print invalid JSON. */
class CodecFuzzTest {
  private static final int ROUNDS = 20_000;
  private static final String JSON_UPLINK = "{\"id\":1584361601,\"timestamp\":1735689601,\"to\":4294967295,"
      + "\"from\":439041101,\"channel\":0,\"type\":\"telemetry\",\"sender\":\"!abcd1234\",\"rssi\":-92,\"snr\":6.25,"
      + "\"hops_away\":1,\"hop_start\":3,\"payload\":{\"battery_level\":87,\"voltage\":4.05}}";

  private enum Seen { DECODED, STATUS, REJECTED }

  @Test
  void mutatedAndRandomInputAlwaysEndsInAnOutcome() {
    final List<Vector> seeds = MeshVectors.fixtures().stream().filter(v -> !v.bad()).toList();
    final var codec = new MeshtasticCodec(ChannelKeys.of(Map.of("KCPrivate0", "PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=",
        "Secret1", "AQ==")));
    final var random = new Random(20_240_611L);
    final var seen = new EnumMap<Seen, Integer>(Seen.class);

    assertTimeout(Duration.ofSeconds(60), () -> {
      for (int round = 0; round < ROUNDS; round++) {
        final String topic;
        final byte[] payload;
        if (round % 10 == 9) {
          topic = random.nextBoolean() ? null : "msh/US/2/e/LongFast/!abcd1234";
          payload = new byte[random.nextInt(300)];
          random.nextBytes(payload);
        } else if (round % 10 == 8) {
          topic = random.nextBoolean() ? "msh/US/2/json/LongFast/!abcd1234" : "msh/US/2/stat/!abcd1234";
          payload = mutate(JSON_UPLINK.getBytes(StandardCharsets.UTF_8), random);
        } else {
          final Vector seed = seeds.get(random.nextInt(seeds.size()));
          topic = random.nextInt(4) == 0 ? null : seed.topic();
          payload = mutate(seed.payload(), random);
        }
        final DecodeOutcome outcome = codec.decode(topic, payload, null);
        assertThat(outcome).isNotNull();
        if (outcome instanceof Decoded decoded) {
          assertThat(ExpectedFacts.parse(ReceptionJson.render(decoded.reception())).isObject()).isTrue();
          seen.merge(Seen.DECODED, 1, Integer::sum);
        } else if (outcome instanceof Status) {
          seen.merge(Seen.STATUS, 1, Integer::sum);
        } else {
          // the codec's last-resort guard turns its own bugs into "could not decode: ..."; none may show up
          assertThat(((Rejected) outcome).reason()).isNotBlank().doesNotStartWith("could not decode");
          seen.merge(Seen.REJECTED, 1, Integer::sum);
        }
      }
    });
    assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROUNDS);
    assertThat(seen).containsKeys(Seen.DECODED, Seen.REJECTED);
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    final int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      final int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes = Arrays.copyOf(bytes, at);
        case 2 -> {
          final byte[] inserted = new byte[1 + random.nextInt(8)];
          random.nextBytes(inserted);
          final byte[] longer = new byte[bytes.length + inserted.length];
          System.arraycopy(bytes, 0, longer, 0, at);
          System.arraycopy(inserted, 0, longer, at, inserted.length);
          System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
          bytes = longer;
        }
        case 3 -> bytes[at] = (byte) new int[] {0x00, 0x7f, 0x80, 0xff, 0x01}[random.nextInt(5)];
        default -> { // a length-delimited tag followed by a wrong length
          if (at + 1 < bytes.length) {
            bytes[at] = (byte) ((1 + random.nextInt(20)) << 3 | 2);
            bytes[at + 1] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return bytes;
  }
}
