package io.ordo.fabric.json;

/** JSON that does not encode to the message asked for; the message says where and why. */
public final class FabricJsonException extends RuntimeException {
  public FabricJsonException(String message) {
    super(message);
  }

  public FabricJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
