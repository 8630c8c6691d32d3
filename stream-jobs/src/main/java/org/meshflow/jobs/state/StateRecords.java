package org.meshflow.jobs.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.serde.TrustedRecords;

/**
 * Records between instances as Avro's own JSON encoding, one record a line: exact (unions, timestamps
 * and floats come back as they were) and still readable with curl.
 */
final class StateRecords {
  static final String CONTENT_TYPE = "application/x-ndjson; charset=utf-8";

  private StateRecords() {}

  static byte[] write(List<SpecificRecord> records) {
    final var out = new ByteArrayOutputStream();
    try {
      for (SpecificRecord record : records) {
        final JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass()))
            .write(record, encoder);
        encoder.flush();
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static <T extends SpecificRecord> List<T> read(String body, Class<T> type) throws IOException {
    TrustedRecords.install();
    final var reader = new SpecificDatumReader<>(type);
    final var records = new ArrayList<T>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        records.add(reader.read(null, DecoderFactory.get().jsonDecoder(reader.getSchema(), line)));
      }
    }
    return records;
  }
}
