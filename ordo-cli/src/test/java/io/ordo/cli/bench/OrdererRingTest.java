package io.ordo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.client.OrdererEndpoint;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OrdererRingTest {
  @Test
  void theOrderersAreTakenInTurnRoundTheRing() {
    OrdererRing ring =
        new OrdererRing(List.of(new OrdererEndpoint("a", 1), new OrdererEndpoint("b", 2)), null);

    assertThat(IntStream.range(0, 5).mapToObj(ring::at).map(OrdererEndpoint::toString))
        .containsExactly("a:1", "b:2", "a:1", "b:2", "a:1");
  }

  @Test
  void theFirstAttemptAfterABreakIsAtOnceThenTheWaitDoublesUpToASecond() {
    assertThat(IntStream.rangeClosed(1, 8).mapToLong(OrdererRing::retryDelayMillis))
        .containsExactly(0L, 25L, 50L, 100L, 200L, 400L, 800L, 1_000L);
    assertThat(OrdererRing.retryDelayMillis(1_000)).isEqualTo(1_000);
  }
}
