/**
 * Raft snapshot files: one CRC32C-checked file per snapshot, written under a temporary name,
 * fsynced, renamed and the directory fsynced; loading picks the newest intact one that the WAL
 * knows.
 */
package io.ordo.storage.snap;
