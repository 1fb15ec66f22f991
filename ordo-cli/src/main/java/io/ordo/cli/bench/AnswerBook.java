package io.ordo.cli.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.hyperledger.fabric.protos.common.Status;

/**
 * The Broadcast answer each transaction of a run got, written by the Broadcast threads: none yet
 * (or ever, when its stream broke first), SUCCESS, or another status with the orderer's info. It is
 * what a client knows when it is told nothing more, and so what the final chain is held to.
 */
final class AnswerBook {
  /** What a transaction's Broadcast got. */
  enum Answer {
    /** Never handed to a stream. */
    NOT_SENT,
    /** Sent, and no answer came: the run ended, or its stream broke, before one. */
    UNANSWERED,
    SUCCESS,
    /** Any status other than SUCCESS. */
    REFUSED
  }

  private static final Answer[] ANSWERS = Answer.values();

  private final AtomicIntegerArray answers;
  private final AtomicIntegerArray statuses;
  private final Map<Integer, String> infos = new ConcurrentHashMap<>();

  AnswerBook(int total) {
    this.answers = new AtomicIntegerArray(total);
    this.statuses = new AtomicIntegerArray(total);
  }

  int total() {
    return answers.length();
  }

  void sent(int index) {
    answers.set(index, Answer.UNANSWERED.ordinal());
  }

  void success(int index) {
    answers.set(index, Answer.SUCCESS.ordinal());
  }

  void refused(int index, Status status, String info) {
    statuses.set(index, status.getNumber());
    if (!info.isEmpty()) {
      infos.put(index, info);
    }
    answers.set(index, Answer.REFUSED.ordinal());
  }

  Answer answer(int index) {
    return ANSWERS[answers.get(index)];
  }

  /** The status of a refused transaction's answer ({@code UNKNOWN} for any other). */
  Status status(int index) {
    Status s = Status.forNumber(statuses.get(index));
    return s == null ? Status.UNKNOWN : s;
  }

  /** The info the orderer gave with a refusal, empty when none. */
  String info(int index) {
    return infos.getOrDefault(index, "");
  }
}
