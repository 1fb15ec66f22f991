package io.ordo.orderer.consensus.etcdraft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which orderers a node asks for a leadership, from the counts of leaderships it sees. */
class LeaderBalancerTest {

  @Test
  void balancedCountsMoveNothing() {
    Map<String, Integer> led = Map.of("a", 2, "b", 2, "c", 2);
    for (String self : led.keySet()) {
      assertThat(LeaderBalancer.giversToAsk(self, led, 6)).as(self).isEmpty();
    }
    Map<String, Integer> uneven = Map.of("a", 11, "b", 10, "c", 9);
    assertThat(LeaderBalancer.giversToAsk("b", uneven, 30)).isEmpty();
    assertThat(LeaderBalancer.giversToAsk("a", uneven, 30)).isEmpty();
  }

  @Test
  void aReturnedNodeAsksTheOrderersOverTheirShare() {
    Map<String, Integer> led = Map.of("a", 15, "b", 15, "c", 0);
    assertThat(LeaderBalancer.giversToAsk("c", led, 30)).containsExactly("a", "b");
    assertThat(LeaderBalancer.giversToAsk("c", Map.of("a", 11, "b", 10, "c", 9), 30))
        .containsExactly("a");
  }

  @Test
  void theUndrainedBalanceAmongThemselvesThoughTheirShareCountsTheDrainedNode() {
    // a leads nothing (drained): c's share of 6 over 3 orderers is 2, which it has, yet b leads 4
    Map<String, Integer> led = Map.of("a", 0, "b", 4, "c", 2);
    assertThat(LeaderBalancer.giversToAsk("c", led, 6)).containsExactly("b");
    assertThat(LeaderBalancer.giversToAsk("b", Map.of("a", 0, "b", 3, "c", 3), 6)).isEmpty();
  }

  @Test
  void onlyTheTwoThatLeadFewestAskTheSameOrderer() {
    Map<String, Integer> led = Map.of("a", 6, "b", 0, "c", 0, "d", 1);
    assertThat(LeaderBalancer.giversToAsk("b", led, 7)).containsExactly("a");
    assertThat(LeaderBalancer.giversToAsk("c", led, 7)).containsExactly("a");
    assertThat(LeaderBalancer.giversToAsk("d", led, 7)).isEmpty();
  }
}
