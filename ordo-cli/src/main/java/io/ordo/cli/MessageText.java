package io.ordo.cli;

/** Message text as the user sees it. */
public final class MessageText {
  private MessageText() {}

  /** A message on one line: library messages sometimes quote a YAML excerpt over several. */
  public static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
