package io.ordo.orderer.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The crypto provider settings ({@code General.BCCSP}); only the software provider with SHA2/256 is
 * supported.
 */
public record BccspConfig(
    String defaultProvider, String hash, int security, Optional<Path> keyStore) {}
