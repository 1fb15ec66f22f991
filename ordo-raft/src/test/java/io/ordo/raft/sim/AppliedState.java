package io.ordo.raft.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated application's state machine: the payloads of the normal entries it applied, in
 * order. A snapshot's data is this list, so a node that installs a snapshot holds exactly what the
 * sender had applied.
 */
final class AppliedState {
  private final List<ByteString> payloads;
  private long appliedIndex;

  private AppliedState(List<ByteString> payloads, long appliedIndex) {
    this.payloads = payloads;
    this.appliedIndex = appliedIndex;
  }

  static AppliedState empty() {
    return new AppliedState(new ArrayList<>(), 0);
  }

  /** The state a snapshot at {@code index} carries (empty data = nothing applied). */
  static AppliedState fromSnapshot(ByteString data, long index) {
    List<ByteString> payloads = new ArrayList<>();
    try {
      CodedInputStream in = data.newCodedInput();
      while (!in.isAtEnd()) {
        payloads.add(in.readBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot data at index " + index + " is malformed", e);
    }
    return new AppliedState(payloads, index);
  }

  ByteString toSnapshotData() {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (ByteString p : payloads) {
        cos.writeBytesNoTag(p);
      }
      cos.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteString();
  }

  void add(ByteString payload) {
    payloads.add(payload);
  }

  List<ByteString> payloads() {
    return payloads;
  }

  int size() {
    return payloads.size();
  }

  long appliedIndex() {
    return appliedIndex;
  }

  void appliedIndex(long index) {
    this.appliedIndex = index;
  }
}
