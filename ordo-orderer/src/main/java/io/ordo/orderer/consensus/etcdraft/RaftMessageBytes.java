package io.ordo.orderer.consensus.etcdraft;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.Message;

/**
 * A raft message marshalled as {@code message.toByteString()} would, byte for byte, but with the
 * data of its entries shared instead of copied. An append carries whole blocks (up to a few
 * megabytes) and the leader sends it to every follower, each in its own message: marshalling every
 * one of them copied each block once per follower before gRPC copied it again to the wire.
 */
final class RaftMessageBytes {
  /** Below this much entry data a plain marshal is as cheap as the pieces. */
  static final int SHARE_FROM_BYTES = 16 * 1024;

  private static final int ENTRIES_FIELD = Message.ENTRIES_FIELD_NUMBER;
  private static final int DATA_FIELD = Entry.DATA_FIELD_NUMBER;

  private RaftMessageBytes() {}

  static ByteString of(Message message) {
    if (!worthSharing(message)) {
      return message.toByteString();
    }
    // protobuf writes known fields in field-number order: those before the entries, the
    // entries, those after them
    Message before =
        Message.newBuilder(message)
            .clearEntries()
            .clearCommit()
            .clearSnapshot()
            .clearReject()
            .clearRejectHint()
            .clearContext()
            .build();
    ByteString withoutEntries = message.toBuilder().clearEntries().build().toByteString();
    ByteString head = before.toByteString();
    ByteString out = head;
    for (Entry entry : message.getEntriesList()) {
      out = out.concat(entry(entry));
    }
    return out.concat(withoutEntries.substring(head.size()));
  }

  private static boolean worthSharing(Message message) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return false;
    }
    long data = 0;
    for (Entry e : message.getEntriesList()) {
      if (!e.getUnknownFields().asMap().isEmpty()) {
        return false;
      }
      data += e.getData().size();
    }
    return data >= SHARE_FROM_BYTES;
  }

  /** Field 7 of the message: its tag, its length, then the entry with Data (field 4) last. */
  private static ByteString entry(Entry entry) {
    ByteString fields = entry.toBuilder().clearData().build().toByteString();
    int bodySize = entry.getSerializedSize();
    byte[] header =
        new byte
            [CodedOutputStream.computeTagSize(ENTRIES_FIELD)
                + CodedOutputStream.computeUInt32SizeNoTag(bodySize)
                + fields.size()
                + (entry.hasData()
                    ? CodedOutputStream.computeTagSize(DATA_FIELD)
                        + CodedOutputStream.computeUInt32SizeNoTag(entry.getData().size())
                    : 0)];
    CodedOutputStream out = CodedOutputStream.newInstance(header);
    try {
      out.writeTag(ENTRIES_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(bodySize);
      out.writeRawBytes(fields);
      if (entry.hasData()) {
        out.writeTag(DATA_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(entry.getData().size());
      }
      out.checkNoSpaceLeft();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("marshalling a raft entry header into its exact size", e);
    }
    ByteString pieces = ByteString.copyFrom(header);
    return entry.hasData() ? pieces.concat(entry.getData()) : pieces;
  }
}
