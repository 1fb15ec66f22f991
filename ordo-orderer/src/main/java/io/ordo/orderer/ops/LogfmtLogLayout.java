package io.ordo.orderer.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * {@code FABRIC_LOGGING_FORMAT=logfmt}: {@code ts=1704110400.123456 level=info
 * name=orderer.consensus.etcdraft msg="Writing block [5] (Raft index: 7) to ledger"
 * channel=mychannel node=2}, Fabric's keys without its {@code caller}; a throwable's stack under
 * {@code stacktrace}.
 */
final class LogfmtLogLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event);
    StringBuilder out = new StringBuilder(160);
    out.append("ts=").append(JsonLogLayout.epochSeconds(line).toPlainString());
    out.append(" level=").append(line.level());
    out.append(" name=");
    LogfmtFields.value(out, line.component());
    out.append(" msg=");
    LogfmtFields.value(out, line.message());
    LogfmtFields.append(out, line.fields());
    if (!line.stack().isEmpty()) {
      out.append(" stacktrace=");
      LogfmtFields.value(out, line.stack());
    }
    return out.append('\n').toString();
  }
}
