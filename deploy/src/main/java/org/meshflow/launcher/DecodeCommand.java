package org.meshflow.launcher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshflow.meshtastic.ChannelKeys;
import org.meshflow.meshtastic.DecodeOutcome;
import org.meshflow.meshtastic.InvalidChannelKeysException;
import org.meshflow.meshtastic.MeshtasticCodec;
import org.meshflow.meshtastic.ReceptionJson;

/** {@code ./meshflow decode}: uplinks on stdin, one JSON object a line on stdout. */
final class DecodeCommand {
  static final String HELP = String.join(System.lineSeparator(),
      "usage: ./meshflow decode [--key CHANNEL=BASE64]... < UPLINKS",
      "",
      "Decodes Meshtastic MQTT uplinks, one a line on stdin, and prints one JSON object a line on stdout.",
      "Input lines: 'TOPIC HEX' (the MQTT topic, a space, the payload in hex) or a bare HEX envelope.",
      "Encrypted packets are decrypted with the default key (AQ==) and every --key given.",
      "",
      "  --key CHANNEL=BASE64   the PSK of a channel, e.g. --key KCPrivate=PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=",
      "                         (repeatable; 16 or 32 bytes, or a 1-byte shorthand like AQ==)",
      "  --help                 this text",
      "",
      "Output fields (MESHTASTIC.md section 6): topic, gatewayId, channelId, from, to, packetId, packetKey,",
      "channelHash, hopLimit, hopStart, hopsAway, rxTime, rxSnr, rxRssi, viaMqtt, encrypted, decrypted,",
      "portnum, payload. A line that cannot be decoded prints {\"error\":\"<reason>\",\"topic\":...} and",
      "decoding goes on; a legacy status message prints {\"topic\":...,\"gatewayId\":...,\"status\":\"online\"}.",
      "",
      "Examples:",
      "  echo 'msh/US/2/e/LongFast/!abcd1234 0a3d0d7cc573fb15...' | ./meshflow decode",
      "  mosquitto_sub -h BROKER -t 'msh/#' -F '%t %x' | ./meshflow decode --key KCPrivate=BASE64");

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private final MeshtasticCodec codec;

  DecodeCommand(ChannelKeys keys) {
    this.codec = new MeshtasticCodec(keys);
  }

  /** The launcher entry: process streams. */
  static int main(String[] args) throws IOException {
    return run(args, System.in, System.out, System.out);
  }

  /**
   * @param help where {@code --help} goes
   * @return the exit code: 0, or 1 when stdin could not be read
   * @throws UsageException for bad options or keys (exit code 2)
   */
  static int run(String[] args, InputStream in, OutputStream out, PrintStream help) throws IOException {
    final var keys = new LinkedHashMap<String, String>();
    final var problems = new ArrayList<String>();
    for (int i = 0; i < args.length; i++) {
      final String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help.println(HELP);
        return 0;
      } else if (arg.equals("--key") || arg.startsWith("--key=")) {
        final String value = arg.equals("--key") ? (i + 1 < args.length ? args[++i] : null) : arg.substring(6);
        addKey(value, keys, problems);
      } else {
        throw new UsageException("unknown option '" + arg + "'; try ./meshflow decode --help");
      }
    }
    final ChannelKeys channelKeys;
    try {
      channelKeys = ChannelKeys.of(keys);
    } catch (InvalidChannelKeysException e) {
      problems.addAll(e.problems());
      throw new UsageException("bad --key: " + String.join("; ", problems));
    }
    if (!problems.isEmpty()) {
      throw new UsageException("bad --key: " + String.join("; ", problems));
    }
    return new DecodeCommand(channelKeys).decodeLines(in, out);
  }

  private static void addKey(String value, Map<String, String> keys, List<String> problems) {
    final int eq = value == null ? -1 : value.indexOf('=');
    if (eq <= 0) {
      problems.add("expected CHANNEL=BASE64, got '" + (value == null ? "" : value) + "'");
    } else if (keys.putIfAbsent(value.substring(0, eq), value.substring(eq + 1)) != null) {
      problems.add(value.substring(0, eq) + ": given twice");
    }
  }

  int decodeLines(InputStream in, OutputStream out) {
    final var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    final Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          writer.write(decodeLine(line.strip()));
          writer.write('\n');
        }
        if (!reader.ready()) {
          writer.flush(); // keep up with a live feed (mosquitto_sub | ./meshflow decode)
        }
      }
      writer.flush();
      return 0;
    } catch (IOException e) {
      System.err.println("meshflow decode: cannot read stdin or write stdout: " + e.getMessage());
      return 1;
    }
  }

  /** One input line to one output line (without the newline). */
  String decodeLine(String line) throws IOException {
    final int space = indexOfWhitespace(line);
    // a lone token with a slash is a topic whose payload was empty
    final boolean topicOnly = space < 0 && line.indexOf('/') >= 0;
    final String topic = topicOnly ? line : space < 0 ? null : line.substring(0, space);
    final String hex = topicOnly ? "" : space < 0 ? line : line.substring(space + 1).strip();
    final byte[] payload;
    try {
      payload = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return error("payload is not hex (" + e.getMessage() + "); expected 'TOPIC HEX' or a bare HEX envelope", topic);
    }
    final DecodeOutcome outcome = codec.decode(topic, payload, null);
    if (outcome instanceof DecodeOutcome.Decoded decoded) {
      return ReceptionJson.render(decoded.reception());
    }
    if (outcome instanceof DecodeOutcome.Status status) {
      return json(g -> {
        g.writeStringField("topic", topic);
        g.writeStringField("gatewayId", status.gatewayId());
        g.writeStringField("status", status.online() ? "online" : "offline");
      });
    }
    return error(((DecodeOutcome.Rejected) outcome).reason(), topic);
  }

  private static int indexOfWhitespace(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (Character.isWhitespace(line.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String error(String reason, String topic) throws IOException {
    return json(g -> {
      g.writeStringField("error", reason);
      g.writeStringField("topic", topic);
    });
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private static String json(Fields fields) throws IOException {
    final var text = new java.io.StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    return text.toString();
  }
}
