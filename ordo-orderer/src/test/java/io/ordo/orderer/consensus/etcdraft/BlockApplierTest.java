package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ordo.fabric.block.BlockCreator;
import io.ordo.orderer.consensus.ConsenterSupport;
import io.ordo.raft.Messages;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.orderer.etcdraft.BlockMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed entries to blocks in the ledger, exactly once, with snapshots by size. */
class BlockApplierTest {
  @TempDir Path dir;
  private ChainCluster cluster;
  private ConsenterSupport support;
  private final List<Long> snapshotsAt = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  @AfterEach
  void close() {
    cluster.close();
  }

  private BlockApplier applier(long snapshotIntervalSize) {
    cluster = new ChainCluster(dir, 1, 10, Duration.ofMillis(200), Duration.ofMillis(100), 0);
    support = cluster.openSupport(1);
    Options options =
        new Options(
            1,
            List.of(1L),
            dir.resolve("wal"),
            dir.resolve("snap"),
            Duration.ofMillis(100),
            10,
            1,
            5,
            1 << 20,
            snapshotIntervalSize);
    return new BlockApplier(
        support,
        options,
        BlockApplier.metadataOf(support.block(0), List.of(1L)),
        ConfState.newBuilder().addVoters(1).build(),
        (index, confState, data) -> snapshotsAt.add(index),
        CatchUp.UNSUPPORTED,
        EtcdRaftMetrics.discarding(ChainCluster.CHANNEL),
        new BlockApplier.Listener() {
          @Override
          public void blockWritten(Block block, boolean config) {
            events.add(config ? "config block" : "block");
          }

          @Override
          public void blocksPulled(long from, long to) {
            events.add("pulled " + from + " to " + to);
          }

          @Override
          public void configBlockWritten(long number, Optional<ConsenterChange> change) {
            events.add("config " + number);
          }

          @Override
          public void confChangeApplied(long index, ConfChange change) {
            events.add("conf change " + change.getType() + " at " + index);
          }
        });
  }

  /** Entries carrying the next blocks after the ledger's, from raft index {@code firstIndex}. */
  private List<Entry> blockEntries(int count, long firstIndex) {
    BlockCreator creator = new BlockCreator(support.block(support.height() - 1).getHeader());
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Block b = creator.createNext(List.of(ByteString.copyFromUtf8("envelope " + i)));
      entries.add(Messages.entry(1, firstIndex + i, EntryType.EntryNormal, b.toByteString()));
    }
    return entries;
  }

  @Test
  void blocksAreWrittenOnceInIndexOrderWithTheirRaftIndex() {
    BlockApplier applier = applier(Long.MAX_VALUE);
    List<Entry> entries = blockEntries(3, 4);
    applier.apply(entries, n -> Optional.empty());
    assertThat(support.height()).isEqualTo(4);
    assertThat(applier.appliedIndex()).isEqualTo(6);
    assertThat(applier.blockMetadata().getRaftIndex()).isEqualTo(6);
    assertThat(BlockApplier.metadataOf(support.block(3), List.of(1L)).getRaftIndex()).isEqualTo(6);
    assertThat(events).containsExactly("block", "block", "block");

    applier.apply(entries, n -> Optional.empty());
    assertThat(support.height()).as("entries applied again are not written again").isEqualTo(4);
    assertThat(snapshotsAt).isEmpty();
  }

  @Test
  void theBlockThisLeaderProposedIsWrittenFromTheBlockInHand() {
    BlockApplier applier = applier(Long.MAX_VALUE);
    Entry entry = blockEntries(1, 1).getFirst();
    Block inHand;
    try {
      inHand = Block.parseFrom(entry.getData());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    applier.apply(
        List.of(entry),
        n ->
            n == 1
                ? Optional.of(new BlockProposer.Proposed(entry.getData(), inHand, false))
                : Optional.empty());
    assertThat(cluster.ownBlockWrites.get(1L).get()).isEqualTo(1);
    assertThat(support.height()).isEqualTo(2);
  }

  @Test
  void aSnapshotIsTakenOnceEnoughEntryBytesAccumulated() {
    BlockApplier applier = applier(1);
    applier.apply(blockEntries(2, 1), n -> Optional.empty());
    assertThat(snapshotsAt).containsExactly(2L);
  }

  @Test
  void aConfChangeEntryGoesToTheListenerAndAnEntryFromAfarIsRefused() {
    BlockApplier applier = applier(Long.MAX_VALUE);
    Entry cc =
        Messages.entry(
            1,
            1,
            EntryType.EntryConfChange,
            ConfChange.newBuilder()
                .setType(ConfChangeType.ConfChangeAddNode)
                .setNodeId(2)
                .build()
                .toByteString());
    applier.apply(List.of(cc), n -> Optional.empty());
    assertThat(events).containsExactly("conf change ConfChangeAddNode at 1");

    List<Entry> two = blockEntries(2, 2);
    assertThatThrownBy(() -> applier.apply(List.of(two.get(1)), n -> Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("entry 3 carries block [2] but the ledger expects [1]");
  }

  @Test
  void aGenesisBlockHasItsConsentersNumberedInOrder() {
    BlockApplier applier = applier(Long.MAX_VALUE);
    BlockMetadata m = BlockApplier.metadataOf(support.block(0), List.of(1L, 2L, 3L));
    assertThat(m.getConsenterIdsList()).containsExactly(1L, 2L, 3L);
    assertThat(m.getNextConsenterId()).isEqualTo(4);
    assertThat(applier.consenters()).containsOnlyKeys(1L);
  }
}
