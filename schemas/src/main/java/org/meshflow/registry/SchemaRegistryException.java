package org.meshflow.registry;

/**
 * A registry refused a request or could not be reached. {@link #errorCode()} is the Confluent
 * error code (409 incompatible, 40401 subject not found, 40403 schema not found, 42201 invalid
 * schema, 50001 store error, ...); {@link #httpStatus()} the HTTP status that carries it.
 */
public class SchemaRegistryException extends RuntimeException {
  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }
}
