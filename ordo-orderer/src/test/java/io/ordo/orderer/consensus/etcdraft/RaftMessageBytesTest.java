package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import io.ordo.raft.pb.Snapshot;
import io.ordo.raft.pb.SnapshotMetadata;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RaftMessageBytesTest {
  private static final long SEED = Long.getLong("ordo.test.seed", System.nanoTime());

  @Test
  void marshalsEveryMessageExactlyAsProtobufDoes() throws Exception {
    System.out.println("RaftMessageBytesTest seed " + SEED + " (replay with -Dordo.test.seed)");
    SplittableRandom random = new SplittableRandom(SEED);
    int shared = 0;
    for (int i = 0; i < 400; i++) {
      Message m = message(random);
      ByteString bytes = RaftMessageBytes.of(m);
      assertThat(bytes.toByteArray())
          .as("message %d: %s", i, m.getType())
          .isEqualTo(m.toByteArray());
      assertThat(Message.parseFrom(bytes)).isEqualTo(m);
      if (bytes.getClass() != m.toByteString().getClass()) {
        shared++;
      }
    }
    assertThat(shared).as("messages whose entry data was shared, not copied").isGreaterThan(50);
  }

  @Test
  void sharesTheDataOfLargeEntriesInsteadOfCopyingIt() {
    byte[] block = new byte[RaftMessageBytes.SHARE_FROM_BYTES * 4];
    block[0] = 42;
    Message m =
        Message.newBuilder()
            .setType(MessageType.MsgApp)
            .setTo(2)
            .setFrom(1)
            .setTerm(3)
            .setLogTerm(3)
            .setIndex(10)
            .addEntries(
                Entry.newBuilder()
                    .setTerm(3)
                    .setIndex(11)
                    .setType(EntryType.EntryNormal)
                    .setData(ByteString.copyFrom(block)))
            .setCommit(10)
            .build();
    ByteString bytes = RaftMessageBytes.of(m);
    block[0] = 7; // the message's own copy is untouched, so the encoding still shows 42
    assertThat(bytes).isEqualTo(m.toByteString());
    assertThat(bytes.asReadOnlyByteBufferList()).hasSizeGreaterThan(1);
  }

  @Test
  void messagesWithUnknownFieldsAreMarshalledWhole() {
    Message m =
        Message.newBuilder()
            .setType(MessageType.MsgApp)
            .addEntries(
                Entry.newBuilder().setData(ByteString.copyFrom(new byte[64 * 1024])).build())
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).build())
                    .build())
            .build();
    assertThat(RaftMessageBytes.of(m)).isEqualTo(m.toByteString());
  }

  private static Message message(SplittableRandom r) {
    Message.Builder b = Message.newBuilder();
    if (r.nextBoolean()) {
      b.setType(MessageType.forNumber(r.nextInt(19)));
    }
    if (r.nextBoolean()) {
      b.setTo(r.nextLong(1, 8));
    }
    if (r.nextBoolean()) {
      b.setFrom(r.nextLong(1, 8));
    }
    if (r.nextBoolean()) {
      b.setTerm(r.nextLong(0, 1L << r.nextInt(1, 63)));
    }
    if (r.nextBoolean()) {
      b.setLogTerm(r.nextLong(0, 1000));
    }
    if (r.nextBoolean()) {
      b.setIndex(r.nextLong(0, 1L << r.nextInt(1, 63)));
    }
    int entries = r.nextInt(4) == 0 ? 0 : r.nextInt(1, 6);
    for (int i = 0; i < entries; i++) {
      b.addEntries(entry(r));
    }
    if (r.nextBoolean()) {
      b.setCommit(r.nextLong(0, 100_000));
    }
    if (r.nextInt(8) == 0) {
      b.setSnapshot(
          Snapshot.newBuilder()
              .setData(ByteString.copyFrom(bytes(r, r.nextInt(100))))
              .setMetadata(
                  SnapshotMetadata.newBuilder()
                      .setIndex(r.nextLong(0, 1000))
                      .setTerm(r.nextLong(0, 10))
                      .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2))));
    }
    if (r.nextBoolean()) {
      b.setReject(r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.setRejectHint(r.nextLong(0, 1000));
    }
    if (r.nextInt(4) == 0) {
      b.setContext(ByteString.copyFrom(bytes(r, r.nextInt(40))));
    }
    return b.build();
  }

  private static Entry entry(SplittableRandom r) {
    Entry.Builder e = Entry.newBuilder();
    if (r.nextBoolean()) {
      e.setTerm(r.nextLong(0, 50));
    }
    if (r.nextBoolean()) {
      e.setIndex(r.nextLong(0, 1L << r.nextInt(1, 40)));
    }
    if (r.nextBoolean()) {
      e.setType(EntryType.forNumber(r.nextInt(3)));
    }
    if (r.nextInt(5) > 0) {
      int size =
          switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(200);
            default -> r.nextInt(1, 80_000);
          };
      byte[] data = bytes(r, size);
      // a view into a larger array, as entries decoded from the WAL or the wire are
      ByteString whole = ByteString.copyFrom(new byte[3]).concat(ByteString.copyFrom(data));
      e.setData(size > 0 && r.nextBoolean() ? whole.substring(3) : ByteString.copyFrom(data));
    }
    return e.build();
  }

  private static byte[] bytes(SplittableRandom r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return b;
  }
}
