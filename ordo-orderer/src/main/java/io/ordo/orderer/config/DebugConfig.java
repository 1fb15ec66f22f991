package io.ordo.orderer.config;

import java.nio.file.Path;
import java.util.Optional;

/** Envelope tracing directories ({@code Debug}); empty means off. */
public record DebugConfig(Optional<Path> broadcastTraceDir, Optional<Path> deliverTraceDir) {}
