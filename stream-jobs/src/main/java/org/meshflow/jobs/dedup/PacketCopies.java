package org.meshflow.jobs.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/**
 * The copies of one packet key received so far, as the dedup store keeps them: one window per packet
 * that used the key (nearly always one; a node may reuse an id after the window), each with the time
 * it closes and its copies in arrival order. A copy is appended as a few dozen bytes; the copies are
 * folded into a {@link PacketHeardBy} (one entry per gateway, repeats counted) only when the window
 * closes, so a packet heard by many gateways costs no more per copy than one heard by few.
 *
 * <pre>
 * value  := FORMAT window+                      (windows in order of close time)
 * window := closesAt:long size:int packetKey:str from:str packetId:long portnum:str? copy+
 * copy   := gateway:str receivedAt:long rxRssi:int rxSnr:float hopLimit:int relayNode:int flags:byte
 *           [hopsAway:int] [rxTime:long]
 * str    := length:short utf8                   (length -1: null)
 * </pre>
 */
final class PacketCopies {
  static final Serde<PacketCopies> SERDE = Serdes.serdeFrom(
      (topic, copies) -> copies == null ? null : copies.bytes,
      (topic, bytes) -> bytes == null ? null : new PacketCopies(bytes));
  private static final byte FORMAT = 1;
  private static final byte HAS_HOPS_AWAY = 1;
  private static final byte HAS_RX_TIME = 2;
  private static final int WINDOW_HEAD = Long.BYTES + Integer.BYTES;

  private final byte[] bytes;

  private PacketCopies(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new IllegalStateException("dedup store value in an unknown format (" + bytes.length + " bytes)");
    }
    this.bytes = bytes;
  }

  /** A first copy: one window closing at {@code closesAt}. */
  static PacketCopies first(long closesAt, Reception copy, long receivedAt) {
    final byte[] window = window(closesAt, header(copy, copy.getPortnum()), copy(copy, receivedAt));
    return new PacketCopies(ByteBuffer.allocate(1 + window.length).put(FORMAT).put(window).array());
  }

  /** This key with one more window, for a packet that reused it. */
  PacketCopies plus(long closesAt, Reception copy, long receivedAt) {
    final byte[] window = window(closesAt, header(copy, copy.getPortnum()), copy(copy, receivedAt));
    int at = 1;
    while (at < bytes.length && closesAt(at) < closesAt) {
      at = next(at);
    }
    return splice(at, at, window);
  }

  /** The window with the earliest close time in {@code [from, to]}, or -1; windows are addressed by position. */
  int find(long from, long to) {
    for (int at = 1; at < bytes.length; at = next(at)) {
      final long closesAt = closesAt(at);
      if (closesAt >= from && closesAt <= to) {
        return at;
      }
    }
    return -1;
  }

  long closesAt(int window) {
    return ByteBuffer.wrap(bytes).getLong(window);
  }

  /** The same copies with one more in {@code window}; a portnum the window lacked is taken from it. */
  PacketCopies with(int window, Reception copy, long receivedAt) {
    final var reader = new Reader(window + WINDOW_HEAD);
    final String packetKey = reader.string();
    final String from = reader.string();
    final long packetId = reader.buffer.getLong();
    final String portnum = reader.string();
    final int copiesFrom = reader.buffer.position();
    final int end = next(window);
    final byte[] header = portnum == null && copy.getPortnum() != null
        ? header(packetKey, from, packetId, copy.getPortnum())
        : Arrays.copyOfRange(bytes, window + WINDOW_HEAD, copiesFrom);
    final byte[] added = copy(copy, receivedAt);
    final var body = ByteBuffer.allocate(header.length + end - copiesFrom + added.length)
        .put(header).put(bytes, copiesFrom, end - copiesFrom).put(added).array();
    return splice(window, end, window(closesAt(window), body));
  }

  /** Without the windows that closed at or before {@code time}; null when none is left. */
  PacketCopies forgetThrough(long time) {
    int at = 1;
    while (at < bytes.length && closesAt(at) <= time) {
      at = next(at);
    }
    if (at == 1) {
      return this;
    }
    return at == bytes.length ? null : splice(1, at, new byte[0]);
  }

  /** The window at {@code closesAt}, folded into its heard-by list; null when there is none. */
  PacketHeardBy heardBy(long closesAt) {
    final int window = find(closesAt, closesAt);
    if (window < 0) {
      return null;
    }
    final int end = next(window);
    final var reader = new Reader(window + WINDOW_HEAD);
    final var packet = PacketHeardBy.newBuilder().setPacketKey(reader.string()).setFrom(reader.string())
        .setPacketId(reader.buffer.getLong()).setPortnum(reader.string());
    final Map<String, HeardBy.Builder> gateways = new LinkedHashMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int copies = 0;
    while (reader.buffer.position() < end) {
      final String gateway = reader.string();
      final long receivedAt = reader.buffer.getLong();
      final int rssi = reader.buffer.getInt();
      final float snr = reader.buffer.getFloat();
      final int hopLimit = reader.buffer.getInt();
      final int relayNode = reader.buffer.getInt();
      final byte flags = reader.buffer.get();
      final Integer hopsAway = (flags & HAS_HOPS_AWAY) != 0 ? reader.buffer.getInt() : null;
      final Long rxTime = (flags & HAS_RX_TIME) != 0 ? reader.buffer.getLong() : null;
      first = Math.min(first, receivedAt);
      last = Math.max(last, receivedAt);
      copies++;
      final HeardBy.Builder known = gateways.get(gateway);
      if (known != null) {
        known.setCopies(known.getCopies() + 1);
      } else {
        gateways.put(gateway, HeardBy.newBuilder().setGatewayId(gateway).setRxRssi(rssi).setRxSnr(snr)
            .setHopLimit(hopLimit).setHopsAway(hopsAway).setRelayNode(relayNode).setRxTime(rxTime)
            .setReceivedAt(Instant.ofEpochMilli(receivedAt)).setCopies(1));
      }
    }
    final var heardBy = new ArrayList<HeardBy>(gateways.size());
    gateways.values().forEach(gateway -> heardBy.add(gateway.build()));
    return packet.setFirstHeardAt(Instant.ofEpochMilli(first)).setLastHeardAt(Instant.ofEpochMilli(last))
        .setCopies(copies).setHeardBy(heardBy).build();
  }

  private int next(int window) {
    return window + WINDOW_HEAD + ByteBuffer.wrap(bytes).getInt(window + Long.BYTES);
  }

  /** These bytes with {@code [from, to)} replaced by {@code replacement}. */
  private PacketCopies splice(int from, int to, byte[] replacement) {
    return new PacketCopies(ByteBuffer.allocate(bytes.length - (to - from) + replacement.length)
        .put(bytes, 0, from).put(replacement).put(bytes, to, bytes.length - to).array());
  }

  private static byte[] window(long closesAt, byte[]... body) {
    int size = 0;
    for (byte[] part : body) {
      size += part.length;
    }
    final var window = ByteBuffer.allocate(WINDOW_HEAD + size).putLong(closesAt).putInt(size);
    for (byte[] part : body) {
      window.put(part);
    }
    return window.array();
  }

  private static byte[] header(Reception copy, String portnum) {
    return header(copy.getPacketKey(), copy.getFrom(), copy.getPacketId(), portnum);
  }

  private static byte[] header(String packetKey, String from, long packetId, String portnum) {
    final byte[] key = utf8(packetKey);
    final byte[] node = utf8(from);
    final byte[] port = utf8(portnum);
    final var header = ByteBuffer.allocate(3 * Short.BYTES + key.length + node.length + (port == null ? 0 : port.length)
        + Long.BYTES);
    put(header, key);
    put(header, node);
    header.putLong(packetId);
    put(header, port);
    return header.array();
  }

  private static byte[] copy(Reception copy, long receivedAt) {
    final byte[] gateway = utf8(copy.getGatewayId());
    final Integer hopsAway = copy.getHopsAway();
    final Long rxTime = copy.getRxTime();
    final var bytes = ByteBuffer.allocate(Short.BYTES + gateway.length + Long.BYTES + 3 * Integer.BYTES + Float.BYTES + 1
        + (hopsAway == null ? 0 : Integer.BYTES) + (rxTime == null ? 0 : Long.BYTES));
    put(bytes, gateway);
    bytes.putLong(receivedAt).putInt(copy.getRxRssi()).putFloat(copy.getRxSnr()).putInt(copy.getHopLimit())
        .putInt(copy.getRelayNode())
        .put((byte) ((hopsAway == null ? 0 : HAS_HOPS_AWAY) | (rxTime == null ? 0 : HAS_RX_TIME)));
    if (hopsAway != null) {
      bytes.putInt(hopsAway);
    }
    if (rxTime != null) {
      bytes.putLong(rxTime);
    }
    return bytes.array();
  }

  private static byte[] utf8(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ByteBuffer buffer, byte[] string) {
    if (string == null) {
      buffer.putShort((short) -1);
    } else if (string.length > Short.MAX_VALUE) {
      throw new IllegalArgumentException("a reception field of " + string.length + " bytes is too long to deduplicate");
    } else {
      buffer.putShort((short) string.length).put(string);
    }
  }

  private final class Reader {
    private final ByteBuffer buffer;

    Reader(int position) {
      buffer = ByteBuffer.wrap(bytes);
      buffer.position(position);
    }

    String string() {
      final short length = buffer.getShort();
      if (length < 0) {
        return null;
      }
      final String value = new String(bytes, buffer.position(), length, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + length);
      return value;
    }
  }
}
