package io.ordo.orderer.it;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The seed of a test's random choices: {@code -Dordo.it.seed=N} replays a run, else a fresh one;
 * printed either way.
 */
record TestSeed(long value) {
  static TestSeed forTest(String test) {
    String given = System.getProperty("ordo.it.seed");
    long seed = given != null ? Long.parseLong(given) : new SecureRandom().nextLong();
    System.out.printf("%s: seed %d (replay with -Dordo.it.seed=%d)%n", test, seed, seed);
    return new TestSeed(seed);
  }

  Random random() {
    return new Random(value);
  }
}
