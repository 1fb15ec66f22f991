package io.ordo.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Entries and bytes moved per benchmark operation, reported by JMH as rates per second. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ThroughputCounters {
  public long entries;
  public long bytes;

  @Setup(Level.Iteration)
  public void reset() {
    entries = 0;
    bytes = 0;
  }
}
