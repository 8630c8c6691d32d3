package org.meshflow.jobs.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes the records of one poll in one transaction together with their offsets. When PostgreSQL
 * refuses the batch, the records are retried one by one under savepoints: the ones it refuses are
 * handed back as rejects (they go to the dead-letter topic before the commit), the rest are written.
 */
final class BatchWriter {
  /** A record read from Kafka and decoded. */
  record Readable(ConsumerRecord<byte[], byte[]> source, SpecificRecord value) {}

  /** A record the sink cannot store, with the reason. */
  record Reject(ConsumerRecord<byte[], byte[]> source, String reason) {}

  /** Sends rejects to the dead-letter topic and waits until Kafka has them. */
  @FunctionalInterface
  interface DeadLetterSink {
    void send(List<Reject> rejects);
  }

  private final Connection connection;
  private final TableStatements statements;
  private final SinkOffsets offsets;

  BatchWriter(Connection connection, SinkOffsets offsets) {
    this.connection = connection;
    this.statements = new TableStatements(connection);
    this.offsets = offsets;
  }

  /**
   * Writes {@code readable}, sends {@code rejects} (plus any rows the database refused) to the
   * dead-letter sink, stores {@code next} and commits.
   *
   * @return rows written per table
   * @throws DatabaseLost when the database went away; nothing was committed
   */
  Map<SinkTable, Integer> write(List<Readable> readable, List<Reject> rejects,
      Map<TopicPartition, OffsetAndMetadata> next, DeadLetterSink deadLetters) throws DatabaseLost {
    final var allRejects = new ArrayList<>(rejects);
    Map<SinkTable, Integer> written;
    try {
      written = writeAll(readable);
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (e instanceof SQLException sql && DatabaseLost.isLoss(sql, connection)) {
        throw new DatabaseLost(DatabaseLost.firstLine(e), e);
      }
      written = writeOneByOne(readable, allRejects);
    }
    try {
      offsets.store(connection, next);
      if (!allRejects.isEmpty()) {
        deadLetters.send(allRejects);
      }
      connection.commit();
      return written;
    } catch (SQLException e) {
      rollback();
      throw new DatabaseLost(DatabaseLost.firstLine(e), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  private Map<SinkTable, Integer> writeAll(List<Readable> readable) throws SQLException {
    try {
      for (Readable record : readable) {
        RecordRows.add(record.value(), statements);
      }
      return statements.execute();
    } finally {
      statements.discard();
    }
  }

  private Map<SinkTable, Integer> writeOneByOne(List<Readable> readable, List<Reject> rejects) throws DatabaseLost {
    final var written = new EnumMap<SinkTable, Integer>(SinkTable.class);
    try {
      for (Readable record : readable) {
        final Savepoint savepoint = connection.setSavepoint();
        try {
          RecordRows.add(record.value(), statements);
          statements.execute().forEach((table, rows) -> written.merge(table, rows, Integer::sum));
          connection.releaseSavepoint(savepoint);
        } catch (SQLException | RuntimeException e) {
          statements.discard();
          if (e instanceof SQLException sql && DatabaseLost.isLoss(sql, connection)) {
            throw sql;
          }
          connection.rollback(savepoint);
          rejects.add(new Reject(record.source(), "PostgreSQL refused the record: " + DatabaseLost.firstLine(e)));
        }
      }
      return written;
    } catch (SQLException e) {
      rollback();
      throw new DatabaseLost(DatabaseLost.firstLine(e), e);
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // the connection is broken; the caller finds out on its next use
    }
  }

  void close() {
    statements.close();
  }
}
