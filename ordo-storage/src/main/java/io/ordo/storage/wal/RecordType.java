package io.ordo.storage.wal;

/** The kinds of WAL record; the code is the byte written after the length and checksum. */
enum RecordType {
  /** First record of every segment: its sequence number and first index. */
  SEGMENT_HEADER(1),
  /** Node id and channel, after every segment header. */
  METADATA(2),
  /** A raftpb Entry. */
  ENTRY(3),
  /** A raftpb HardState; the last one read wins. */
  HARD_STATE(4),
  /** The (index, term) of a snapshot the node holds. */
  SNAPSHOT_MARKER(5);

  final byte code;

  RecordType(int code) {
    this.code = (byte) code;
  }

  static RecordType of(byte code) {
    return switch (code) {
      case 1 -> SEGMENT_HEADER;
      case 2 -> METADATA;
      case 3 -> ENTRY;
      case 4 -> HARD_STATE;
      case 5 -> SNAPSHOT_MARKER;
      default -> null;
    };
  }
}
