package io.ordo.orderer.config;

/**
 * The orderer's local configuration cannot be used: a file is missing or unreadable, a key is
 * unknown, or a value does not parse. The message names the key (as {@code General.TLS.Enabled}) or
 * the file; start-up must stop.
 */
public final class LocalConfigException extends RuntimeException {
  private final String key;

  public LocalConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  public LocalConfigException(String key, String message, Throwable cause) {
    super(key + ": " + message, cause);
    this.key = key;
  }

  /** The configuration key or file path the problem is about. */
  public String key() {
    return key;
  }
}
