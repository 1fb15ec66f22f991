package io.ordo.cli.toolserver;

/** A request the tool server refuses; the message is the one line the client is sent. */
public final class ToolRequestException extends RuntimeException {
  ToolRequestException(String message) {
    super(message);
  }
}
