package org.meshflow.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body. */
public final class WireFormat {
  public static final byte MAGIC = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id in the header of {@code data}, or a {@link SerializationException} saying why there is none. */
  public static int schemaId(byte[] data) {
    if (data == null || data.length < HEADER_SIZE) {
      throw new SerializationException("not in Confluent wire format: "
          + (data == null ? "no bytes" : data.length + " bytes, need at least " + HEADER_SIZE));
    }
    if (data[0] != MAGIC) {
      throw new SerializationException("not in Confluent wire format: magic byte is " + data[0] + ", expected 0");
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }

  static void writeHeader(ByteBuffer out, int schemaId) {
    out.put(MAGIC).putInt(schemaId);
  }
}
