package io.ordo.orderer.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's full disks: every node's folder (ledger, WAL, snapshots) lies on a tmpfs of
 * its own; the leader's, then a follower's, is filled up while clients broadcast, and freed again.
 * The full node must say why it does not serve (participation status and /healthz) while full, the
 * others must go on ordering, and once space is freed the node must resume by itself, without a
 * restart. Mounting a tmpfs needs root (CI runs as root); without the right the tests are skipped.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskFullFaultsTest {
  /**
   * Each node's tmpfs: room for a preallocated 64 MiB WAL segment, its snapshots and the blocks of
   * these runs.
   */
  private static final String TMPFS_SIZE = "112m";

  /** What the filler leaves free: less than a few blocks of this load. */
  private static final long LEFT_FREE = 128 * 1024;

  /** How long the disk stays full: long enough for the node to find out and give up. */
  private static final Duration FULL_FOR = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private FaultMatrix matrix;
  private final List<Path> mounts = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    matrix = new FaultMatrix(dir, getClass(), "diskFull", ClusterSettings.threeNodes());
    for (int node : matrix.cluster.ids()) {
      Path home = matrix.cluster.files.nodeDir(node);
      Path saved = dir.resolve("saved-node" + node);
      Files.move(home, saved);
      Files.createDirectories(home);
      boolean mounted =
          run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", home.toString());
      if (!mounted) {
        matrix.close();
        matrix = null;
      }
      Assumptions.assumeTrue(mounted, "mounting a tmpfs is not permitted here; disk full needs it");
      mounts.add(home);
      if (!run("cp", "-a", saved + "/.", home.toString())) {
        throw new IllegalStateException("cannot copy node " + node + "'s files onto its tmpfs");
      }
    }
    matrix.start();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (matrix != null) {
      matrix.close();
    }
    for (Path m : mounts) {
      run("umount", m.toString());
    }
  }

  @Test
  @Order(1)
  void diskFullOnTheLeader() {
    fillAndFree("disk-full-leader", matrix.leader(), "leader");
  }

  @Test
  @Order(2)
  void diskFullOnAFollower() {
    fillAndFree("disk-full-follower", matrix.follower(), "follower");
  }

  private void fillAndFree(String name, int node, String role) {
    FaultScenario s = matrix.scenario(name);
    Path home = matrix.cluster.files.nodeDir(node);
    Path filler = home.resolve("filler");
    s.fault(
        "the tmpfs of "
            + role
            + " node "
            + node
            + " filled, freed after "
            + FULL_FOR.toSeconds()
            + " s",
        () -> fill(filler, home));
    s.awaitNextBlock();
    NodeState full = s.awaitReportsWhyNot(node);
    System.out.printf("%s: %s: while full, %s%n", matrix.test, name, full);
    s.lastFor(FULL_FOR);
    try {
      Files.delete(filler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s.healed("filler deleted");
    s.awaitServing(List.of(node));
    s.finish();
  }

  /**
   * Fills the file system of {@code in} with {@code file}, leaving {@link #LEFT_FREE} bytes, or
   * none when the node's own writes take them first.
   */
  private static void fill(Path file, Path in) {
    try {
      long size = Math.max(0, Files.getFileStore(in).getUsableSpace() - LEFT_FREE);
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] chunk = new byte[64 * 1024];
        for (long written = 0; written < size; written += chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
        }
      }
    } catch (IOException e) {
      if (!Files.exists(file) || !String.valueOf(e.getMessage()).contains("No space left")) {
        throw new UncheckedIOException("cannot fill " + in, e);
      }
      // the node wrote meanwhile and the disk is full already: as wanted
    }
  }

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
