package io.ordo.orderer.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PeerLogTest {
  @Test
  void oneLinePerHostAndIntervalWithTheHeldBackCountInTheNext() {
    Logger logger = (Logger) LoggerFactory.getLogger("peer-log-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    PeerLog log = new PeerLog(logger, Duration.ofDays(1));

    for (int i = 0; i < 100; i++) {
      log.warn("/10.0.0.1:" + (40000 + i), "bad request " + i);
    }
    log.warn("/10.0.0.2:5000", "other host");

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("bad request 0", "other host");
    PeerLog eager = new PeerLog(logger, Duration.ZERO);
    eager.warn("/10.0.0.3:1", "first");
    eager.warn("/10.0.0.3:2", "second");
    assertThat(lines.list).hasSize(4);
  }

  @Test
  void hostsOfSocketAddresses() {
    assertThat(PeerLog.host("/127.0.0.1:7050")).isEqualTo("/127.0.0.1");
    assertThat(PeerLog.host("node1/10.1.2.3:7050")).isEqualTo("node1/10.1.2.3");
    assertThat(PeerLog.host("/[0:0:0:0:0:0:0:1]:7050")).isEqualTo("/[0:0:0:0:0:0:0:1]");
    assertThat(PeerLog.host("CN=orderer1,OU=orderer")).isEqualTo("CN=orderer1,OU=orderer");
    assertThat(PeerLog.host(null)).isEqualTo("unknown");
  }
}
