package io.ordo.orderer.it;

/** Prints how long each phase of a test took, for the test's output and its logs' timeline. */
final class Phases {
  private final String test;
  private long last = System.nanoTime();

  Phases(String test) {
    this.test = test;
  }

  void done(String phase) {
    long now = System.nanoTime();
    System.out.printf(
        "%s: %s in %d ms (at %s)%n",
        test, phase, (now - last) / 1_000_000, java.time.LocalTime.now());
    last = now;
  }
}
