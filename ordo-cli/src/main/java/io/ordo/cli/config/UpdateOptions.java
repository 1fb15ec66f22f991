package io.ordo.cli.config;

import io.ordo.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How a config change is signed, where it goes (the orderer, or a file) and how long to wait. */
final class UpdateOptions {
  @Option(
      names = "--sign-with",
      paramLabel = "MSPDIR[:MSPID]",
      description =
          "Add a config signature of this admin (its MSP folder, and its MSP ID; without the ID,"
              + " the channel organization whose CA issued the certificate). Repeat for as many"
              + " admins as the mod_policy needs. Default with --network: the orderer"
              + " organization's admin; otherwise the submitting identity (--msp).")
  List<String> signWith = new ArrayList<>();

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Write the update (a CONFIG_UPDATE envelope, with the --sign-with signatures only) to FILE"
              + " instead of submitting it: 'ordo config sign' adds signatures, 'ordo config"
              + " submit' sends it.")
  Path output;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on each read, the submission and the wait for the config block (1m).")
  Duration timeout = Duration.ofMinutes(1);

  @Option(
      names = "--no-reach-check",
      description =
          "Do not try TLS connections to the consenters before a consenter change (the quorum"
              + " and new-consenter checks).")
  boolean noReachCheck;
}
