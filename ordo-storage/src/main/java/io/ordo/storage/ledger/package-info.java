/**
 * The block ledger of one channel: append-only block files with length and CRC32C framing, a dense
 * index from block number to file and offset, one writer that makes a block visible only after it
 * is durable, and readers that wait for a height without holding a thread.
 */
package io.ordo.storage.ledger;
