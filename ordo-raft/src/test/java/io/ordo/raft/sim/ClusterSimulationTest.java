package io.ordo.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the cluster simulator over many seeds. {@code -Dordo.sim.runs=N} sets how many (the build
 * passes 2,000, or 100,000 with {@code -Psoak}); {@code -Dordo.sim.seed=S} replays one seed, and
 * {@code -Dordo.sim.trace=true} prints its events. Half the seeds (chosen apart from the run's own
 * random source) quiesce idle nodes as the orderer's channels do.
 */
class ClusterSimulationTest {
  /** The seeds of a default build are fixed, so that a build is reproducible. */
  private static final long FIRST_SEED = 0x5EED_0F_0DD0L;

  @Test
  void raftKeepsItsSafetyPropertiesUnderFaultsAndRecoversOnceHealed() {
    Long one = Long.getLong("ordo.sim.seed");
    if (one != null) {
      ClusterSimulation.Summary s =
          new ClusterSimulation(one, Boolean.getBoolean("ordo.sim.trace") ? System.out : null)
              .run();
      System.out.println("seed " + one + " passed: " + s);
      return;
    }
    int runs = Integer.getInteger("ordo.sim.runs", 2000);
    SplittableRandom seeds = new SplittableRandom(FIRST_SEED);
    long[] all = LongStream.generate(seeds::nextLong).limit(runs).toArray();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicLong steps = new AtomicLong();
    AtomicLong applied = new AtomicLong();
    AtomicLong quietRuns = new AtomicLong();
    AtomicLong quietPeriods = new AtomicLong();
    AtomicLong wakeUps = new AtomicLong();
    long start = System.nanoTime();
    LongStream.of(all)
        .parallel()
        .forEach(
            seed -> {
              try {
                ClusterSimulation.Summary s = new ClusterSimulation(seed, null).run();
                steps.addAndGet(s.steps());
                applied.addAndGet(s.applied());
                if (s.params().quiesce()) {
                  quietRuns.incrementAndGet();
                  quietPeriods.addAndGet(s.quietPeriods());
                  wakeUps.addAndGet(s.wakeUps());
                }
              } catch (InvariantViolation e) {
                failures.add(
                    "seed "
                        + seed
                        + ": "
                        + e.getMessage()
                        + "\n  replay: mvn -pl ordo-raft test -Dtest=ClusterSimulationTest"
                        + " -Dordo.sim.seed="
                        + seed
                        + " [-Dordo.sim.trace=true]");
              }
            });
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "cluster simulation: %d runs, %d steps, %d proposals applied in %.1f s: %.0f seeds/minute%n",
        runs, steps.get(), applied.get(), seconds, runs / seconds * 60);
    System.out.printf(
        "with quiescence: %d runs, %d times a node went quiet, %d wake-ups%n",
        quietRuns.get(), quietPeriods.get(), wakeUps.get());
    failures.forEach(System.out::println);
    assertThat(failures).as("failing seeds").isEmpty();
    if (runs >= 100) {
      // the idle stretches of those runs must let groups go quiet, or quiescence went untested
      assertThat(quietRuns.get()).as("runs with quiescence").isPositive();
      assertThat(quietPeriods.get()).as("quiet periods in those runs").isPositive();
    }
  }
}
