package io.ordo.cli.bench;

import io.ordo.cli.blocks.ChainComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Holds the orderers' final chains to what the client was told: every transaction acknowledged with
 * SUCCESS is in the final chain (the highest chain read), none is in it twice, and the chains read
 * agree by header hash up to the lowest of their heights (a node behind is not a failure). It also
 * counts, of each kind of answer, what reached the chain anyway.
 */
final class ChainAudit {
  /** Tx ids listed of each kind of wrong transaction; the total is always given. */
  static final int MAX_LISTED = 1_000;

  /** Kinds of refusal (status and info) listed. */
  static final int MAX_REFUSAL_KINDS = 100;

  private ChainAudit() {}

  /**
   * One orderer's chain: its tally when it was read whole, or why it could not be.
   *
   * @param tally empty when {@code error} is present
   */
  record NodeChain(String orderer, Optional<ChainTally> tally, Optional<String> error) {
    static NodeChain read(String orderer, ChainTally tally) {
      return new NodeChain(orderer, Optional.of(tally), Optional.empty());
    }

    static NodeChain unreadable(String orderer, String error) {
      return new NodeChain(orderer, Optional.empty(), Optional.of(error));
    }
  }

  /**
   * What the checks found.
   *
   * @param chains every orderer asked, in the order given
   * @param difference the first block where two chains read differ; empty when they agree
   */
  record Findings(
      AckedReport.Answers answers,
      AckedReport.InChain inChain,
      AckedReport.Listed ackedMissing,
      AckedReport.Listed duplicated,
      List<NodeChain> chains,
      Optional<String> difference) {
    int chainsRead() {
      return (int) chains.stream().filter(c -> c.tally().isPresent()).count();
    }

    boolean passed() {
      return chainsRead() > 0
          && ackedMissing.total() == 0
          && duplicated.total() == 0
          && difference.isEmpty();
    }
  }

  /**
   * @param txIds the tx id of each transaction of the run, by index
   */
  static Findings audit(AnswerBook answers, IntFunction<String> txIds, List<NodeChain> chains) {
    ChainComparison comparison = new ChainComparison();
    ChainTally finalChain = null;
    for (NodeChain c : chains) {
      if (c.tally().isPresent()) {
        ChainTally t = c.tally().get();
        t.headerHashes().forEach(h -> comparison.add(c.orderer(), h));
        if (finalChain == null || t.height() > finalChain.height()) {
          finalChain = t;
        }
      }
    }
    int n = answers.total();
    int[] counts = new int[AnswerBook.Answer.values().length];
    int[] inChain = new int[counts.length];
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<List<String>, Integer> byStatusAndInfo = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    int missingTotal = 0;
    int duplicatedTotal = 0;
    for (int i = 0; i < n; i++) {
      AnswerBook.Answer a = answers.answer(i);
      counts[a.ordinal()]++;
      int found = finalChain == null ? 0 : finalChain.occurrences(i);
      if (found > 0) {
        inChain[a.ordinal()]++;
      }
      if (a == AnswerBook.Answer.REFUSED) {
        String status = answers.status(i).name();
        byStatus.merge(status, 1, Integer::sum);
        List<String> kind = List.of(status, answers.info(i));
        if (byStatusAndInfo.containsKey(kind) || byStatusAndInfo.size() < MAX_REFUSAL_KINDS) {
          byStatusAndInfo.merge(kind, 1, Integer::sum);
        }
      }
      if (a == AnswerBook.Answer.SUCCESS && found == 0 && finalChain != null) {
        missingTotal++;
        if (missing.size() < MAX_LISTED) {
          missing.add(txIds.apply(i));
        }
      }
      if (found > 1) {
        duplicatedTotal++;
        if (duplicated.size() < MAX_LISTED) {
          duplicated.add(txIds.apply(i));
        }
      }
    }
    int success = counts[AnswerBook.Answer.SUCCESS.ordinal()];
    int refused = counts[AnswerBook.Answer.REFUSED.ordinal()];
    int unanswered = counts[AnswerBook.Answer.UNANSWERED.ordinal()];
    List<AckedReport.Refusal> refusals =
        byStatusAndInfo.entrySet().stream()
            .map(e -> new AckedReport.Refusal(e.getKey().get(0), e.getKey().get(1), e.getValue()))
            .sorted(Comparator.comparingInt(AckedReport.Refusal::count).reversed())
            .toList();
    return new Findings(
        new AckedReport.Answers(
            success + refused + unanswered,
            counts[AnswerBook.Answer.NOT_SENT.ordinal()],
            success,
            refused,
            unanswered,
            byStatus,
            refusals),
        new AckedReport.InChain(
            inChain[AnswerBook.Answer.SUCCESS.ordinal()],
            inChain[AnswerBook.Answer.REFUSED.ordinal()],
            inChain[AnswerBook.Answer.UNANSWERED.ordinal()]),
        new AckedReport.Listed(missingTotal, missing),
        new AckedReport.Listed(duplicatedTotal, duplicated),
        chains,
        comparison.firstDifference());
  }
}
