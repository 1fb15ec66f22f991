package io.ordo.cli;

import picocli.CommandLine.Help.Ansi;

/** Colours for a terminal, plain text elsewhere (pipes, files, CI logs). */
public record Style(boolean colour) {
  public static Style plain() {
    return new Style(false);
  }

  public String ok(String text) {
    return paint("green", text);
  }

  public String failure(String text) {
    return paint("red", text);
  }

  public String warning(String text) {
    return paint("yellow", text);
  }

  public Ansi ansi() {
    return colour ? Ansi.ON : Ansi.OFF;
  }

  private String paint(String colourName, String text) {
    return colour ? Ansi.ON.string("@|bold," + colourName + " " + escape(text) + "|@") : text;
  }

  // picocli's markup would read "|@" inside the text as the end of the style
  private static String escape(String text) {
    return text.replace("@|", "@ |").replace("|@", "| @");
  }
}
