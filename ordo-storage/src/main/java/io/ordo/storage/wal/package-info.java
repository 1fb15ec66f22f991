/**
 * The raft write-ahead log of one channel: HardState, entries and snapshot markers in CRC32C-framed
 * segment files, written with one fsync per save, replayed on open with torn-tail repair of the
 * newest segment only.
 */
package io.ordo.storage.wal;
