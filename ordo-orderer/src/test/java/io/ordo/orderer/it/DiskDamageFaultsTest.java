package io.ordo.orderer.it;

import static org.awaitility.Awaitility.await;

import io.ordo.orderer.server.DiskDamage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's damaged data: each scenario stops a follower, damages one kind of its channel
 * files and starts it again, while clients broadcast to the cluster. The node must serve the whole
 * chain again by itself: a torn WAL tail and a lost index are repaired where they lie, damage it
 * cannot repair makes it rebuild the channel from the other orderers.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskDamageFaultsTest {
  @TempDir static Path dir;
  private FaultMatrix matrix;

  @BeforeAll
  void startCluster() {
    // snapshots every 1 MB (a few seconds of this load), so that the WAL starts after one
    matrix =
        new FaultMatrix(
            dir, getClass(), "diskDamage", ClusterSettings.threeNodes().withSnapshots("1 MB", 50));
    matrix.start();
  }

  @AfterAll
  void stopCluster() {
    if (matrix != null) {
      matrix.close();
    }
  }

  @Test
  @Order(1)
  void tornWalTail() {
    damageAFollower(
        "torn-wal-tail",
        "SIGKILL of a follower, the last record of its WAL torn",
        true,
        node -> DiskDamage.tearWalTail(walDir(node)));
  }

  @Test
  @Order(2)
  void flippedByteInTheWal() {
    damageAFollower(
        "flipped-wal-byte",
        "a byte flipped in a WAL entry mid-segment of a stopped follower",
        false,
        node -> DiskDamage.corruptWalEntryMidSegment(walDir(node)));
  }

  @Test
  @Order(3)
  @Tag("faults-short")
  void flippedByteInABlock() {
    damageAFollower(
        "flipped-block-byte",
        "a byte flipped in a middle block of a stopped follower",
        false,
        node -> {
          long height = matrix.cluster.height(node).orElse(2);
          DiskDamage.flipByteInBlock(ledgerDir(node), Math.max(1, height / 2));
        });
  }

  @Test
  @Order(4)
  void truncatedBlockFile() {
    damageAFollower(
        "truncated-block-file",
        "the block file of a stopped follower cut to half its length",
        false,
        node -> DiskDamage.truncateNewestBlockFile(ledgerDir(node)));
  }

  @Test
  @Order(5)
  void deletedLedgerIndex() {
    damageAFollower(
        "deleted-ledger-index",
        "the ledger index of a stopped follower deleted",
        false,
        node -> delete(ledgerDir(node).resolve("index")));
  }

  @Test
  @Order(6)
  void deletedSnapshotFolder() {
    damageAFollower(
        "deleted-snapshot-folder",
        "the snapshot folder of a stopped follower deleted",
        false,
        node -> delete(snapDir(node)));
  }

  /**
   * Stops a follower (SIGTERM, or SIGKILL when {@code kill}), damages its files while it is down
   * and starts it again; it must serve the whole chain again.
   */
  private void damageAFollower(String name, String what, boolean kill, Consumer<Integer> damage) {
    FaultScenario s = matrix.scenario(name);
    int follower = matrix.follower();
    if (name.equals("deleted-snapshot-folder")) {
      awaitSnapshot(follower);
    }
    s.fault(
        what + " (node " + follower + ")",
        () -> {
          if (kill) {
            matrix.cluster.kill(follower);
          } else {
            matrix.cluster.stop(follower);
          }
          damage.accept(follower);
        });
    s.awaitNextBlock();
    s.healed("restarted");
    matrix.cluster.startAnswering(follower);
    s.awaitServing(List.of(follower));
    s.finish();
  }

  /** Waits until the node has taken a snapshot, so that deleting the folder loses one. */
  private void awaitSnapshot(int node) {
    await()
        .atMost(FaultMatrix.AWAIT)
        .until(
            () -> {
              try (Stream<Path> files = Files.list(snapDir(node))) {
                return files.findAny().isPresent();
              } catch (IOException e) {
                return false;
              }
            });
  }

  private Path ledgerDir(int node) {
    return matrix.cluster.files.nodeDir(node).resolve("ledger/chains/" + ClusterFiles.CHANNEL);
  }

  private Path walDir(int node) {
    return matrix.cluster.files.nodeDir(node).resolve("etcdraft/wal/" + ClusterFiles.CHANNEL);
  }

  private Path snapDir(int node) {
    return matrix.cluster.files.nodeDir(node).resolve("etcdraft/snapshot/" + ClusterFiles.CHANNEL);
  }

  private static void delete(Path path) {
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
