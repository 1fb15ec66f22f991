package io.ordo.orderer.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One WARN per certificate inside the threshold: at the first check, then once a day. */
class ExpiryWarningsTest {
  private final ExpiryFixture f = new ExpiryFixture(Duration.ofDays(7), Duration.ofDays(365));
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(ExpiryWarnings.class);
  private ExpiryWarnings warnings;

  @BeforeEach
  void capture() {
    events.start();
    log.addAppender(events);
    warnings = ExpiryWarnings.manual(f.expiries);
  }

  @AfterEach
  void release() {
    log.detachAppender(events);
  }

  private List<String> warned() {
    return events.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void eachCertificateInsideTheThresholdIsWarnedAtStartThenOnceADay() {
    f.channel(
        "mychannel",
        1,
        Map.of(
            1L, f.consenter("o1.example.com", Duration.ofDays(90)),
            2L, f.consenter("o2.example.com", Duration.ofDays(5), Duration.ofDays(30))));

    assertThat(warnings.check()).hasSize(1);
    assertThat(warned())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .startsWith(
                        "channel mychannel: consenter 2 (o2.example.com:7050) client TLS"
                            + " certificate CN=o2.example.com")
                    .contains("expires at " + ExpiryFixture.START.plus(Duration.ofDays(5)))
                    .contains("(in 5 d 0 h)")
                    .endsWith("within General.Cluster.CertExpirationWarningThreshold PT168H"));
    assertThat(events.list.getFirst().getKeyValuePairs())
        .extracting(kv -> kv.key + "=" + kv.value)
        .containsExactly("channel=mychannel", "node=2");

    // checks through the day say nothing more; the server certificate enters the threshold later
    for (int i = 0; i < 24 * 60 - 1; i++) {
      f.clock.advance(Duration.ofMinutes(1));
      assertThat(warnings.check()).as("minute %d", i + 1).isEmpty();
    }
    f.clock.advance(Duration.ofMinutes(1));
    assertThat(warnings.check())
        .extracting(c -> c.kind())
        .containsExactly(CertificateKind.CLIENT_TLS);
    assertThat(warned()).hasSize(2);
    // weeks later the server certificate enters the threshold; the client one, expired, is due
    f.clock.set(ExpiryFixture.START.plus(Duration.ofDays(23)));
    assertThat(warnings.check())
        .extracting(c -> c.kind())
        .containsExactlyInAnyOrder(CertificateKind.CLIENT_TLS, CertificateKind.SERVER_TLS);
    assertThat(warned()).anyMatch(w -> w.contains("server TLS certificate"));
  }

  @Test
  void aRenewedCertificateIsNoLongerWarnedAndAnExpiredOneSaysWhatToDo() {
    f.channel("ch", 1, Map.of(1L, f.consenter("o1.example.com", Duration.ofHours(1))));
    assertThat(warnings.check()).hasSize(2);
    f.channel("ch", 1, Map.of(1L, f.consenter("o1.example.com", Duration.ofDays(300))));
    f.clock.advance(Duration.ofDays(2));
    assertThat(warnings.check()).isEmpty();

    f.channel("ch", 1, Map.of(1L, f.consenter("o1.example.com", Duration.ofDays(1))));
    assertThat(warnings.check()).hasSize(2);
    assertThat(warned().getLast())
        .contains("expired at")
        .endsWith("replace it and update the channel's consenter entry");
  }
}
