package io.ordo.cli.blocks;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ordo.fabric.block.BlockHashing;
import io.ordo.fabric.block.BlockVerificationException;
import io.ordo.fabric.block.BlockVerifier;
import io.ordo.fabric.block.Blocks;
import io.ordo.fabric.block.MalformedBlockException;
import io.ordo.fabric.channelconfig.ChannelConfigLoader;
import io.ordo.fabric.crypto.Ecdsa;
import io.ordo.fabric.msp.ChannelMsps;
import io.ordo.fabric.policy.PolicyManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * Verifies a run of blocks as a peer pulling them would: the chain must start at a config block
 * (the genesis block, or a later config block taken as trusted), then each block's data hash,
 * previous hash and orderer signatures are checked against the /Channel/Orderer/BlockValidation
 * policy of the config in force, which each valid config block replaces.
 *
 * <p>It goes on after a failure so that one run lists every bad block; after a gap the block
 * following it cannot be chained, and its previous hash is not checked.
 */
public final class ChainVerifier {
  static final String BLOCK_VALIDATION = "/Channel/Orderer/BlockValidation";

  private final Ecdsa ecdsa;

  public ChainVerifier(Ecdsa ecdsa) {
    this.ecdsa = ecdsa;
  }

  /** Verifies the blocks of a folder, taken in number order. */
  public ChainReport verify(List<BlockFile> files) {
    Run run = begin();
    for (BlockFile f :
        files.stream()
            .sorted(Comparator.comparingLong(BlockFile::number).thenComparing(BlockFile::name))
            .toList()) {
      if (!run.accept(f)) {
        break;
      }
    }
    ChainReport report = run.report();
    return new ChainReport(report.channel(), files.size(), report.outcomes());
  }

  /** A verification fed one block at a time, in number order, keeping only the last block. */
  public Run begin() {
    return new Run(false);
  }

  /**
   * A run over what an orderer holds when it no longer holds block 0 (it prunes its ledger, or
   * onboarded from a later config block): the blocks before the first config block are checked by
   * their data hash and by the hash chain that leads into that config block, which is taken as
   * trusted; the report fails if no config block follows them.
   */
  public Run beginAfterPrunedBlocks() {
    return new Run(true);
  }

  /** The state of one verification: the config in force and the block before. */
  public final class Run {
    private final List<Outcome> outcomes = new ArrayList<>();
    private Optional<String> channel = Optional.empty();
    private BlockVerifier verifier;
    private long configNumber = -1;
    private BlockFile previous;
    private int blocks;
    private boolean stopped;
    private final boolean afterPruned;
    private BlockFile firstUnanchored;

    private Run(boolean afterPruned) {
      this.afterPruned = afterPruned;
    }

    /**
     * Checks the next block; false once nothing more can be verified (no trusted config to start
     * from), after which further blocks are not looked at.
     */
    public boolean accept(BlockFile f) {
      if (stopped) {
        return false;
      }
      blocks++;
      Block b = f.block();
      long n = f.number();
      if (f.numberInName().isPresent() && f.numberInName().getAsLong() != n) {
        outcomes.add(
            Outcome.failed(
                f,
                ChainCheck.FILE_NAME,
                "the file's name says block "
                    + f.numberInName().getAsLong()
                    + " but it holds "
                    + n));
      }
      if (previous != null && previous.number() == n) {
        outcomes.add(
            Outcome.failed(
                f, ChainCheck.DUPLICATE, "block " + n + " is also in " + previous.name()));
        return true;
      }
      byte[] previousHash = null;
      if (previous != null) {
        if (n > previous.number() + 1) {
          outcomes.add(
              Outcome.gap(
                  previous.number() + 1,
                  n - 1,
                  missing(previous.number() + 1, n - 1)
                      + " between "
                      + previous.name()
                      + " and "
                      + f.name()));
        } else {
          previousHash = BlockHashing.headerHash(previous.block().getHeader());
        }
      }
      Optional<String> configChannel = configChannel(b);
      List<Outcome> found = new ArrayList<>();
      if (verifier == null && afterPruned && configChannel.isEmpty()) {
        // before the first config block held: vouched for by the hash chain into it
        List<Outcome> bad = checkDataHash(f, previousHash);
        if (!bad.isEmpty()) {
          outcomes.addAll(bad);
          stopped = true;
          return false;
        }
        if (firstUnanchored == null) {
          firstUnanchored = f;
        }
        outcomes.add(
            Outcome.passed(
                f, "data hash; held before the first config block, chained to it by hash"));
        previous = f;
        return true;
      }
      if (verifier == null) {
        if (configChannel.isEmpty()) {
          outcomes.add(
              Outcome.failed(
                  f,
                  ChainCheck.CONFIG,
                  "the first block is not a config block: verifying needs the genesis block or"
                      + " the config block in force"
                      + lastConfigHint(b)));
          stopped = true;
          return false;
        }
        found.addAll(n == 0 ? checkGenesis(f) : List.of());
      } else if (configChannel.isEmpty() && !lastConfigIs(b, configNumber)) {
        found.add(
            Outcome.failed(
                f,
                ChainCheck.CONFIG,
                "its last config block is "
                    + describeLastConfig(b)
                    + ", not block "
                    + configNumber
                    + ": the config in force is not known"));
      }
      Optional<BlockVerifier> candidate = Optional.empty();
      if (configChannel.isPresent() && found.isEmpty()) {
        try {
          candidate = Optional.of(verifierOf(b));
        } catch (RuntimeException e) {
          found.add(
              Outcome.failed(
                  f,
                  ChainCheck.CONFIG,
                  "its " + BLOCK_VALIDATION + " policy does not load: " + e.getMessage()));
        }
      }
      if (found.isEmpty() && !(verifier == null && n == 0)) {
        // the first config block of a folder that does not start at genesis vouches for itself
        BlockVerifier by = verifier != null ? verifier : candidate.orElseThrow();
        found.addAll(check(f, by, previousHash));
      }
      if (found.isEmpty()) {
        outcomes.add(Outcome.passed(f, describe(b, configChannel)));
        if (candidate.isPresent()) {
          verifier = candidate.get();
          configNumber = n;
          channel = configChannel;
        }
      } else {
        outcomes.addAll(found);
        if (verifier == null) {
          // no trusted config to go on with
          stopped = true;
          return false;
        }
      }
      previous = f;
      return true;
    }

    public int outcomeCount() {
      return outcomes.size();
    }

    /** The outcomes found since there were {@code index}, for printing them as they come. */
    public List<Outcome> outcomesFrom(int index) {
      return List.copyOf(outcomes.subList(index, outcomes.size()));
    }

    /** What was found so far; {@code blockFiles} counts the blocks accepted. */
    public ChainReport report() {
      List<Outcome> all = new ArrayList<>(outcomes);
      if (firstUnanchored != null && verifier == null && !stopped) {
        all.add(
            Outcome.failed(
                previous,
                ChainCheck.CONFIG,
                "no config block follows the blocks from "
                    + firstUnanchored.number()
                    + ": nothing vouches for them"));
      }
      return new ChainReport(channel, blocks, all);
    }
  }

  private List<Outcome> checkGenesis(BlockFile f) {
    Block b = f.block();
    byte[] computed = BlockHashing.dataHash(b.getData());
    if (!Arrays.equals(computed, b.getHeader().getDataHash().toByteArray())) {
      return List.of(
          Outcome.failed(
              f,
              ChainCheck.DATA_HASH,
              "header data_hash "
                  + hex(b.getHeader().getDataHash().toByteArray())
                  + " but the data hashes to "
                  + hex(computed)));
    }
    if (!b.getHeader().getPreviousHash().isEmpty()) {
      return List.of(
          Outcome.failed(
              f, ChainCheck.PREVIOUS_HASH, "the genesis block has a previous_hash; it must not"));
    }
    return List.of();
  }

  /** The data hash and, when the block before is known, the previous hash. */
  private static List<Outcome> checkDataHash(BlockFile f, byte[] previousHash) {
    Block b = f.block();
    if (!Arrays.equals(
        BlockHashing.dataHash(b.getData()), b.getHeader().getDataHash().toByteArray())) {
      return List.of(
          Outcome.failed(
              f, ChainCheck.DATA_HASH, "the data does not hash to the header's data_hash"));
    }
    if (previousHash != null
        && !Arrays.equals(previousHash, b.getHeader().getPreviousHash().toByteArray())) {
      return List.of(
          Outcome.failed(
              f, ChainCheck.PREVIOUS_HASH, "previous_hash is not the block before's header hash"));
    }
    return List.of();
  }

  private static List<Outcome> check(BlockFile f, BlockVerifier verifier, byte[] previousHash) {
    try {
      verifier.verify(f.block(), previousHash);
      return List.of();
    } catch (BlockVerificationException e) {
      return List.of(Outcome.failed(f, ChainCheck.of(e.check()), reason(e)));
    }
  }

  // the exception's message starts with "block N failed check C: ", which the outcome says already
  private static String reason(BlockVerificationException e) {
    String m = e.getMessage();
    int colon = m.indexOf(": ");
    return colon < 0 ? m : m.substring(colon + 2);
  }

  private BlockVerifier verifierOf(Block configBlock) {
    ConfigGroup channelGroup = ChannelConfigLoader.configOf(configBlock).getChannelGroup();
    PolicyManager policies =
        PolicyManager.forChannel(channelGroup, ChannelMsps.fromChannelGroup(channelGroup), ecdsa);
    return new BlockVerifier(policies.get(BLOCK_VALIDATION));
  }

  /** The channel of a config block; empty for any other block. */
  static Optional<String> configChannel(Block b) {
    if (b.getData().getDataCount() != 1) {
      return Optional.empty();
    }
    try {
      Envelope env = Envelope.parseFrom(b.getData().getData(0));
      Payload p = Payload.parseFrom(env.getPayload());
      ChannelHeader h = ChannelHeader.parseFrom(p.getHeader().getChannelHeader());
      return h.getType() == HeaderType.CONFIG_VALUE
          ? Optional.of(h.getChannelId())
          : Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  private static boolean lastConfigIs(Block b, long configNumber) {
    try {
      return Blocks.lastConfigIndex(b) == configNumber;
    } catch (MalformedBlockException e) {
      return false;
    }
  }

  private static String describeLastConfig(Block b) {
    try {
      return "block " + Blocks.lastConfigIndex(b);
    } catch (MalformedBlockException e) {
      return "not readable (" + e.getMessage() + ")";
    }
  }

  private static String lastConfigHint(Block b) {
    try {
      return " (block " + Blocks.lastConfigIndex(b) + " is its last config block)";
    } catch (MalformedBlockException e) {
      return "";
    }
  }

  private static String describe(Block b, Optional<String> configChannel) {
    if (configChannel.isPresent()) {
      return b.getHeader().getNumber() == 0
          ? "genesis block of channel " + configChannel.get()
          : "config block of channel " + configChannel.get();
    }
    return b.getData().getDataCount() + " envelope(s)";
  }

  private static String missing(long first, long last) {
    return first == last
        ? "block " + first + " is missing"
        : "blocks " + first + " to " + last + " are missing";
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
