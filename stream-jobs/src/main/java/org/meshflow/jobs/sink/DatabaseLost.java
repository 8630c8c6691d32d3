package org.meshflow.jobs.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** The database went away (or refuses connections): the sink pauses, nothing is rejected. */
final class DatabaseLost extends Exception {
  DatabaseLost(String reason, Throwable cause) {
    super(reason, cause);
  }

  /**
   * Whether {@code e} means the database is unreachable rather than that it refused this data:
   * connection errors (SQLSTATE 08), shutdown and resource states (57P, 53), or a connection that
   * no longer answers.
   */
  static boolean isLoss(SQLException e, Connection connection) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        final String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
          return true;
        }
      }
    }
    try {
      return connection == null || !connection.isValid(5);
    } catch (SQLException invalid) {
      return true;
    }
  }

  /** The first line of a driver message, which for PostgreSQL is the server's own words. */
  static String firstLine(Throwable e) {
    Throwable shown = e;
    if (e instanceof SQLException sql && sql.getNextException() != null) {
      shown = sql.getNextException();
    }
    final String message = shown.getMessage() == null ? shown.toString() : shown.getMessage();
    final int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
