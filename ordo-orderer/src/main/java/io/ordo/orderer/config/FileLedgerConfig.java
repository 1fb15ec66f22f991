package io.ordo.orderer.config;

import java.nio.file.Path;

/** Where the block ledgers live ({@code FileLedger.Location}). */
public record FileLedgerConfig(Path location) {}
