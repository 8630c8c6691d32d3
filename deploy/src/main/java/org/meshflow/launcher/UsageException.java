package org.meshflow.launcher;

/** A command line the user got wrong: printed as one line, exit code 2, no stack trace. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
