package org.meshflow.bridge.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one top-level length-delimited field of a protobuf message without its schema: enough to
 * check an identity carried in the payload without knowing the message type.
 */
public final class ProtobufField {
  private ProtobufField() {}

  /**
   * The UTF-8 string in field {@code number} (the last occurrence, as protobuf merges), or null when
   * the message has no such field.
   *
   * @throws IllegalArgumentException when {@code message} is not a well-formed protobuf message
   *     or the field is not a UTF-8 string
   */
  public static String string(ByteBuffer message, int number) {
    final var in = message.duplicate();
    ByteBuffer found = null;
    while (in.hasRemaining()) {
      final long tag = varint(in);
      final int field = (int) (tag >>> 3);
      final int wireType = (int) (tag & 7);
      if (field == 0) {
        throw new IllegalArgumentException("field number 0");
      }
      switch (wireType) {
        case 0 -> varint(in);
        case 1 -> skip(in, 8);
        case 5 -> skip(in, 4);
        case 2 -> {
          final long length = varint(in);
          if (length > in.remaining()) {
            throw new IllegalArgumentException("length-delimited field runs past the end");
          }
          if (field == number) {
            found = in.slice(in.position(), (int) length);
          }
          skip(in, (int) length);
        }
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
    }
    if (found == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(found).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("field " + number + " is not UTF-8 text");
    }
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      final byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  private static void skip(ByteBuffer in, int bytes) {
    if (bytes > in.remaining()) {
      throw new IllegalArgumentException("field runs past the end");
    }
    in.position(in.position() + bytes);
  }
}
