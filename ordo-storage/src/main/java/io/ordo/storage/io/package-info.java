/**
 * File plumbing shared by the WAL, the snapshot files and the block ledger: how files are opened
 * (injectable, so tests can make the disk fail), directory fsync, CRC32C framing and the two errors
 * every store raises, corruption (names file and offset) and I/O failure (names file).
 */
package io.ordo.storage.io;
