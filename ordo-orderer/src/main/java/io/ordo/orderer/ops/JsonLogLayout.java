package io.ordo.orderer.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * {@code FABRIC_LOGGING_FORMAT=json}: one JSON object a line with Fabric's keys, {@code
 * {"level":"info","ts":1704110400.123456,"name":"orderer.consensus.etcdraft","msg":"...",
 * "channel":"mychannel","node":2}}: {@code ts} in seconds since the epoch, the fields as keys of
 * their own (numbers as numbers). Fabric's {@code caller} (its source file and line) is left out; a
 * throwable's stack is under {@code stacktrace}.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("level", line.level());
    out.put("ts", epochSeconds(line));
    out.put("name", line.component());
    out.put("msg", line.message());
    for (KeyValuePair f : line.fields()) {
      out.put(
          f.key,
          f.value instanceof Number || f.value instanceof Boolean
              ? f.value
              : String.valueOf(f.value));
    }
    if (!line.stack().isEmpty()) {
      out.put("stacktrace", line.stack());
    }
    try {
      return JSON.writeValueAsString(out) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a log line cannot be written as JSON", e);
    }
  }

  /** Seconds with the nanoseconds as a fraction, as zap's epoch time encoder writes them. */
  static BigDecimal epochSeconds(LogLine line) {
    return BigDecimal.valueOf(line.time().getEpochSecond())
        .add(BigDecimal.valueOf(line.time().getNano(), 9))
        .stripTrailingZeros();
  }
}
