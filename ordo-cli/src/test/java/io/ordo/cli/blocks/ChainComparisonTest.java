package io.ordo.cli.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ordo.cli.TestData;
import java.nio.file.Files;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

class ChainComparisonTest {
  private static Block block(int n) throws Exception {
    return Block.parseFrom(Files.readAllBytes(TestData.network().resolve("block-" + n + ".pb")));
  }

  @Test
  void theFirstBlockWhoseHeaderDiffersIsNamedWithBothOrderers() throws Exception {
    ChainComparison c = new ChainComparison();
    Block b1 = block(1);
    Block forked =
        b1.toBuilder()
            .setHeader(b1.getHeader().toBuilder().setDataHash(ByteString.copyFromUtf8("other")))
            .build();
    c.add("a:1", block(0));
    c.add("a:1", b1);
    c.add("b:2", block(0));
    c.add("b:2", forked);

    assertThat(c.firstDifference())
        .hasValue("the chains of a:1 and b:2 differ at block 1 (header hashes)");
  }

  @Test
  void aNodeThatIsBehindAgreesOnTheBlocksItHas() throws Exception {
    ChainComparison c = new ChainComparison();
    c.add("a:1", block(0));
    c.add("a:1", block(1));
    c.add("b:2", block(0));

    assertThat(c.firstDifference()).isEmpty();
    assertThat(c.agreement()).isEqualTo("identical chains on 2 orderers (heights 2, 1)");
  }

  @Test
  void aNodeThatNoLongerHoldsTheFirstBlocksIsComparedFromItsFirstBlock() throws Exception {
    ChainComparison c = new ChainComparison();
    c.add("a:1", block(0));
    c.add("a:1", block(1));
    c.add("a:1", block(2));
    c.add("b:2", block(1));
    c.add("b:2", block(2));

    assertThat(c.firstDifference()).isEmpty();
    assertThat(c.agreement()).isEqualTo("identical chains on 2 orderers (heights 3, 3)");
  }
}
