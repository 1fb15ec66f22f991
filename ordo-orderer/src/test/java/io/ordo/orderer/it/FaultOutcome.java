package io.ordo.orderer.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one fault scenario came to: its recovery times and its audit's counts. Printed, and added as
 * a row to {@code target/faults/outcomes.md}, the table docs/faults.md is made from.
 *
 * @param toBlock from the fault to the next block ordered by the cluster
 * @param toServing from the fault to the faulted nodes serving the whole chain again
 * @param healToServing from the fault's end (a restart, a partition healed, a disk freed) to the
 *     same
 * @param inChain of the envelopes sent, how many are in the final chain
 * @param statuses the participation statuses the faulted nodes were seen in while recovering
 */
record FaultOutcome(
    String scenario,
    String fault,
    Optional<Duration> toBlock,
    Optional<Duration> toServing,
    Optional<Duration> healToServing,
    int sent,
    int success,
    int refused,
    int unanswered,
    int inChain,
    int ackedMissing,
    int duplicates,
    long height,
    long maxRssMib,
    List<String> statuses) {

  private static final Path TABLE = Path.of("target", "faults", "outcomes.md");

  private static String millis(Optional<Duration> d) {
    return d.map(t -> t.toMillis() + " ms").orElse("n/a");
  }

  void print(String test) {
    String line =
        "| %s | %s | %s | %s | %s | %d sent, %d SUCCESS, %d refused, %d unanswered; %d in chain |"
                .formatted(
                    scenario,
                    fault,
                    millis(toBlock),
                    millis(toServing),
                    millis(healToServing),
                    sent,
                    success,
                    refused,
                    unanswered,
                    inChain)
            + " %d | %d | %d | %d MiB | %s |"
                .formatted(
                    ackedMissing, duplicates, height, maxRssMib, String.join(" → ", statuses));
    System.out.printf("%s: outcome %s%n", test, line);
    try {
      Files.createDirectories(TABLE.getParent());
      Files.writeString(
          TABLE,
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + TABLE, e);
    }
  }
}
