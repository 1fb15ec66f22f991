package io.ordo.storage.wal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** One whole, checksummed record as read back, with where it was. */
record WalRecord(RecordType type, ByteBuffer payload, Path file, long offset) {}
