package io.ordo.fabric.channelconfig;

/** A config value that is missing or not valid; the message starts with its config path. */
public final class ConfigException extends RuntimeException {
  private final String path;

  public ConfigException(String path, String why) {
    super(path + ": " + why);
    this.path = path;
  }

  public ConfigException(String path, String why, Throwable cause) {
    super(path + ": " + why, cause);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
