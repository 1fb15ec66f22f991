package io.ordo.cli.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ordo.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code --acked-report FILE} holds: how every transaction of the run was answered, what the
 * final chains hold of them, whether the orderers' chains agree, and the failures the run went
 * through. It passes when at least one chain could be read, every transaction acknowledged with
 * SUCCESS is in it, none is in it twice, and the chains agree.
 *
 * @param tx the run's transactions (the warm-up's are not audited)
 * @param ackedMissing acknowledged with SUCCESS and not in the final chain
 * @param duplicated in the final chain more than once
 * @param chainsRead orderers whose whole chain could be read
 * @param chainsAgree whether those chains hold the same blocks up to the lowest of their heights
 * @param chainDifference the first block where two of them differ, said as one line; null when they
 *     agree
 */
public record AckedReport(
    @JsonProperty("passed") boolean passed,
    @JsonProperty("channel") String channel,
    @JsonProperty("tx") int tx,
    @JsonProperty("answers") Answers answers,
    @JsonProperty("in_chain") InChain inChain,
    @JsonProperty("acked_missing") Listed ackedMissing,
    @JsonProperty("duplicated") Listed duplicated,
    @JsonProperty("chains_read") int chainsRead,
    @JsonProperty("chains_agree") boolean chainsAgree,
    @JsonProperty("chain_difference") String chainDifference,
    @JsonProperty("nodes") List<Node> nodes,
    @JsonProperty("faults") Faults faults) {
  public AckedReport {
    nodes = List.copyOf(nodes);
  }

  /** The report of a run's findings, faults and commit gaps, the orderers in the order given. */
  static AckedReport of(
      String channel, ChainAudit.Findings findings, StreamFaults faults, CommitGaps gaps) {
    Map<String, Long> broadcastBreaks = faults.broadcastBreaks();
    Map<String, Long> deliverBreaks = faults.deliverBreaks();
    List<Node> nodes =
        findings.chains().stream()
            .map(
                c ->
                    new Node(
                        c.orderer(),
                        c.tally().map(ChainTally::height).orElse(null),
                        c.error().orElse(null),
                        broadcastBreaks.getOrDefault(c.orderer(), 0L),
                        deliverBreaks.getOrDefault(c.orderer(), 0L)))
            .toList();
    return new AckedReport(
        findings.passed(),
        channel,
        findings.answers().sent() + findings.answers().notSent(),
        findings.answers(),
        findings.inChain(),
        findings.ackedMissing(),
        findings.duplicated(),
        findings.chainsRead(),
        findings.difference().isEmpty(),
        findings.difference().orElse(null),
        nodes,
        new Faults(
            faults.breaks(),
            faults.reconnections(),
            gaps.longestGapMs(),
            gaps.firstBreakToCommitMs()));
  }

  /**
   * The exit code of a run with this report: 1 when no chain could be read, 5 when the audit
   * failed, 4 when it passed but not every transaction was committed, 0 otherwise.
   */
  public int exitCode(boolean everyTransactionCommitted) {
    if (chainsRead == 0) {
      return ExitCodes.ERROR;
    }
    if (!passed) {
      return ExitCodes.AUDIT_FAILED;
    }
    return everyTransactionCommitted ? ExitCodes.OK : ExitCodes.INCOMPLETE;
  }

  /** The one line of a failed audit: what is wrong, with the first tx id of each kind. */
  public String failure() {
    if (chainsRead == 0) {
      return "audit: no orderer's chain could be read: "
          + String.join("; ", nodes.stream().map(n -> n.orderer() + ": " + n.error()).toList());
    }
    List<String> wrong = new ArrayList<>();
    if (ackedMissing.total() > 0) {
      wrong.add(
          ackedMissing.total()
              + " acknowledged transaction(s) missing from the final chain (first "
              + ackedMissing.txIds().getFirst()
              + ")");
    }
    if (duplicated.total() > 0) {
      wrong.add(
          duplicated.total()
              + " transaction(s) in the chain twice or more (first "
              + duplicated.txIds().getFirst()
              + ")");
    }
    if (!chainsAgree) {
      wrong.add(chainDifference);
    }
    return "audit failed: " + String.join("; ", wrong);
  }

  /**
   * How the transactions were answered; {@code sent = success + refused + unanswered}.
   *
   * @param notSent never sent (the run ended first)
   * @param unanswered sent, and no answer came before the stream broke or the run ended
   * @param refusedByStatus the refusals by Broadcast status
   * @param refusals the refusals by status and info, at most {@value ChainAudit#MAX_REFUSAL_KINDS}
   *     kinds, the most frequent first
   */
  public record Answers(
      @JsonProperty("sent") int sent,
      @JsonProperty("not_sent") int notSent,
      @JsonProperty("success") int success,
      @JsonProperty("refused") int refused,
      @JsonProperty("unanswered") int unanswered,
      @JsonProperty("refused_by_status") Map<String, Integer> refusedByStatus,
      @JsonProperty("refusals") List<Refusal> refusals) {
    public Answers {
      refusedByStatus = Map.copyOf(refusedByStatus);
      refusals = List.copyOf(refusals);
    }
  }

  /** Refusals of one status with one info. */
  public record Refusal(
      @JsonProperty("status") String status,
      @JsonProperty("info") String info,
      @JsonProperty("count") int count) {}

  /** Of each kind of answer, the transactions found in the final chain. */
  public record InChain(
      @JsonProperty("success") int success,
      @JsonProperty("refused") int refused,
      @JsonProperty("unanswered") int unanswered) {}

  /**
   * Transactions found wrong, by tx id.
   *
   * @param total how many
   * @param txIds the first {@value ChainAudit#MAX_LISTED} of them, in the run's order
   */
  public record Listed(
      @JsonProperty("total") int total, @JsonProperty("tx_ids") List<String> txIds) {
    public Listed {
      txIds = List.copyOf(txIds);
    }
  }

  /**
   * One orderer.
   *
   * @param height the height of its chain as read; null when it could not be read
   * @param error why it could not be read; null when it was
   * @param broadcastBreaks the run's Broadcast streams to it that broke
   * @param deliverBreaks the run's Deliver streams from it that broke
   */
  public record Node(
      @JsonProperty("orderer") String orderer,
      @JsonProperty("height") Integer height,
      @JsonProperty("error") String error,
      @JsonProperty("broadcast_breaks") long broadcastBreaks,
      @JsonProperty("deliver_breaks") long deliverBreaks) {}

  /**
   * The failures the run went through.
   *
   * @param streamBreaks Broadcast and Deliver streams that broke
   * @param reconnections Broadcast streams connected again after a break
   * @param longestCommitGapMs see {@link CommitGaps#longestGapMs()}
   * @param firstBreakToCommitMs see {@link CommitGaps#firstBreakToCommitMs()}; null when none
   */
  public record Faults(
      @JsonProperty("stream_breaks") long streamBreaks,
      @JsonProperty("reconnections") long reconnections,
      @JsonProperty("longest_commit_gap_ms") double longestCommitGapMs,
      @JsonProperty("first_break_to_commit_ms") Double firstBreakToCommitMs) {}
}
