package io.ordo.cli.toolserver;

/** The tool server cannot start: its folder or files cannot be used; the message names them. */
public final class ToolServerException extends RuntimeException {
  ToolServerException(String message) {
    super(message);
  }

  ToolServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
