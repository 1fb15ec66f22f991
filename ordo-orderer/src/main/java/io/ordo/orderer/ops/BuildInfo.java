package io.ordo.orderer.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What a build is: Ordo's version, the commit it was built from and the Fabric release whose
 * behaviour it reproduces. {@code ordo version} prints it and the operations endpoint's {@code
 * /version} reports it, from the same file the build writes, so the two cannot disagree.
 */
public record BuildInfo(String version, String commit, String fabricVersion) {
  /** The Fabric release whose protocols, files and tools' behaviour Ordo follows. */
  public static final String FABRIC_VERSION = "3.0.0";

  private static final String RESOURCE = "build.properties";

  /** The running build's; a class path without the build's file (an IDE run) says so. */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
    return new BuildInfo(
        p.getProperty("version", "development"),
        p.getProperty("commit", "unknown"),
        FABRIC_VERSION);
  }
}
