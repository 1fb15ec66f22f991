package io.ordo.orderer.config;

import java.nio.file.Path;

/**
 * The orderer's local configuration: orderer.yaml with the {@code ORDERER_*} environment laid over
 * it, every value checked and every relative path resolved.
 *
 * @param configFile the orderer.yaml it was read from
 */
public record LocalConfig(
    Path configFile,
    GeneralConfig general,
    FileLedgerConfig fileLedger,
    DebugConfig debug,
    ConsensusConfig consensus,
    OperationsConfig operations,
    MetricsConfig metrics,
    AdminConfig admin,
    ChannelParticipationConfig channelParticipation) {}
