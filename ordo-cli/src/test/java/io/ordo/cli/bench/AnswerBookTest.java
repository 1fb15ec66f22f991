package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;

class AnswerBookTest {
  @Test
  void eachTransactionKeepsItsLastAnswerAndARefusalItsStatusAndInfo() {
    AnswerBook book = new AnswerBook(4);
    book.sent(0);
    book.success(0);
    book.sent(1);
    book.refused(1, Status.SERVICE_UNAVAILABLE, "no Raft leader");
    book.sent(2);
    book.refused(2, Status.BAD_REQUEST, "");
    book.sent(3);

    assertThat(book.total()).isEqualTo(4);
    assertThat(book.answer(0)).isEqualTo(AnswerBook.Answer.SUCCESS);
    assertThat(book.answer(1)).isEqualTo(AnswerBook.Answer.REFUSED);
    assertThat(book.status(1)).isEqualTo(Status.SERVICE_UNAVAILABLE);
    assertThat(book.info(1)).isEqualTo("no Raft leader");
    assertThat(book.status(2)).isEqualTo(Status.BAD_REQUEST);
    assertThat(book.info(2)).isEmpty();
    assertThat(book.answer(3)).isEqualTo(AnswerBook.Answer.UNANSWERED);
    assertThat(book.status(0)).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void aTransactionNeverHandedToAStreamIsNotSent() {
    assertThat(new AnswerBook(1).answer(0)).isEqualTo(AnswerBook.Answer.NOT_SENT);
  }
}
